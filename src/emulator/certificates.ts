// The emulator's TLS material: a CA made at start and a server certificate for `localhost` and
// 127.0.0.1 signed by it. The Graph client only sends its bearer token to https:// hosts
// (Graph is HTTPS only: https://learn.microsoft.com/graph/use-the-api), so the emulator must speak TLS; clients trust `caCertPem`.
// Keys come from node:crypto (native, fast); node-forge builds and signs the X.509 certificates.
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import forge from "node-forge";

export interface TlsMaterial {
  caCertPem: string;
  certPem: string;
  keyPem: string;
}

type KeyPair = { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; privatePem: string };

// RSA key generation dominates start-up (about a second per key); tests start many emulators, so the
// two key pairs are made once per process. Certificates (serials, validity) are still new at every start.
const keyCache: KeyPair[] = [];
function cachedKeyPair(slot: 0 | 1): KeyPair {
  return (keyCache[slot] ??= keyPair());
}

function keyPair(): KeyPair {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey;
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e), privatePem };
}

/** Signs with node:crypto (forge's pure-JS RSA takes hundreds of milliseconds per signature). */
function signCertificate(cert: forge.pki.Certificate, issuerKeyPem: string): void {
  const oid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.signatureOid = oid;
  cert.siginfo.algorithmOid = oid;
  // getTBSCertificate is public in node-forge but missing from its type definitions
  const tbs = (
    forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(cert);
  (cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1 }).tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), "binary");
  cert.signature = sign("sha256", der, issuerKeyPem).toString("binary");
}

const serial = () => `01${randomBytes(15).toString("hex")}`;

export function createTlsMaterial(now = new Date()): TlsMaterial {
  const notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  const notAfter = new Date(now.getTime() + 30 * 24 * 60 * 60 * 1000);

  const ca = cachedKeyPair(0);
  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = notAfter;
  const caName = [
    { name: "commonName", value: "wslpolicy Graph emulator test CA" },
    { name: "organizationName", value: "wslpolicy" },
  ];
  caCert.setSubject(caName);
  caCert.setIssuer(caName);
  caCert.setExtensions([
    { name: "basicConstraints", cA: true, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  signCertificate(caCert, ca.privatePem);

  const server = cachedKeyPair(1);
  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: "commonName", value: "localhost" }]);
  cert.setIssuer(caName);
  cert.setExtensions([
    { name: "basicConstraints", cA: false },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: [
        { type: 2, value: "localhost" },
        { type: 7, ip: "127.0.0.1" },
      ],
    },
  ]);
  signCertificate(cert, ca.privatePem);

  return {
    caCertPem: forge.pki.certificateToPem(caCert),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: server.privatePem,
  };
}
