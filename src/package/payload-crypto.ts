// The encrypted payload inside an `.intunewin` (IntunePackage.intunewin): `MAC[32] ‖ IV[16] ‖
// AES-256-CBC(PKCS#7)(inner ZIP)`, the MAC being HMAC-SHA256 with its own key over IV ‖ ciphertext, and
// the FileDigest SHA-256 of the plaintext — the fields of Graph's fileEncryptionInfo
// (https://learn.microsoft.com/graph/api/resources/intune-apps-fileencryptioninfo?view=graph-rest-beta).
// Streaming both ways, so a package of any size passes through in fixed memory.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes as nodeRandomBytes,
  timingSafeEqual,
  type Cipher,
  type Decipher,
  type Hash,
  type Hmac,
} from "node:crypto";

export const PAYLOAD_HEADER = 48;
export const PROFILE_IDENTIFIER = "ProfileVersion1";
export const DIGEST_ALGORITHM = "SHA256";

/** The random bytes a package needs, asked for in this order: encryption key (32), MAC key (32), IV (16). */
export type RandomBytes = (n: number) => Buffer;
export const systemRandom: RandomBytes = (n) => nodeRandomBytes(n);

export interface PayloadKeys {
  encryptionKey: Buffer;
  macKey: Buffer;
  iv: Buffer;
}

export function newPayloadKeys(random: RandomBytes = systemRandom): PayloadKeys {
  const encryptionKey = random(32);
  const macKey = random(32);
  const iv = random(16);
  if (encryptionKey.length !== 32 || macKey.length !== 32 || iv.length !== 16)
    throw new Error("the random source returned the wrong number of bytes");
  return { encryptionKey, macKey, iv };
}

/** What Detection.xml and the commit body carry, as bytes. */
export interface PayloadSeal {
  mac: Buffer;
  fileDigest: Buffer;
  /** Bytes of plaintext (UnencryptedContentSize). */
  plaintextSize: number;
  /** Bytes of the whole payload, header included (sizeEncrypted). */
  encryptedSize: number;
}

/** Encrypts a stream: feed plaintext to `update`, write what it returns after a 48-byte header slot, then `final`. */
export class PayloadEncryptor {
  private readonly cipher: Cipher;
  private readonly hmac: Hmac;
  private readonly digest: Hash = createHash("sha256");
  private plain = 0;
  private encrypted = 0;

  constructor(readonly keys: PayloadKeys) {
    this.cipher = createCipheriv("aes-256-cbc", keys.encryptionKey, keys.iv);
    this.hmac = createHmac("sha256", keys.macKey).update(keys.iv);
  }

  update(plaintext: Buffer): Buffer {
    this.plain += plaintext.length;
    this.digest.update(plaintext);
    return this.emit(this.cipher.update(plaintext));
  }

  /** The last ciphertext bytes, and the header (`MAC ‖ IV`) that goes in front of all of them. */
  final(): { tail: Buffer; header: Buffer; seal: PayloadSeal } {
    const tail = this.emit(this.cipher.final());
    const mac = this.hmac.digest();
    return {
      tail,
      header: Buffer.concat([mac, this.keys.iv]),
      seal: {
        mac,
        fileDigest: this.digest.digest(),
        plaintextSize: this.plain,
        encryptedSize: PAYLOAD_HEADER + this.encrypted,
      },
    };
  }

  private emit(ct: Buffer): Buffer {
    this.encrypted += ct.length;
    this.hmac.update(ct);
    return ct;
  }
}

/** Encrypts a whole buffer (small payloads, tests). */
export function encryptPayload(plaintext: Buffer, keys: PayloadKeys): { payload: Buffer; seal: PayloadSeal } {
  const enc = new PayloadEncryptor(keys);
  const body = enc.update(plaintext);
  const { tail, header, seal } = enc.final();
  return { payload: Buffer.concat([header, body, tail]), seal };
}

export class PayloadIntegrityError extends Error {}

/** Checks a payload as it streams past: MAC over IV ‖ ciphertext, then (with the key) the plaintext digest. */
export class PayloadVerifier {
  private readonly hmac: Hmac;
  private readonly decipher?: Decipher;
  private readonly digest: Hash = createHash("sha256");
  private header = Buffer.alloc(0);
  private plain = 0;

  constructor(
    private readonly expected: { mac: Buffer; iv: Buffer; macKey: Buffer; encryptionKey?: Buffer; fileDigest?: Buffer },
    private readonly onPlaintext?: (chunk: Buffer) => void,
  ) {
    this.hmac = createHmac("sha256", expected.macKey);
    if (expected.encryptionKey) this.decipher = createDecipheriv("aes-256-cbc", expected.encryptionKey, expected.iv);
  }

  update(chunk: Buffer): void {
    if (this.header.length < PAYLOAD_HEADER) {
      const need = PAYLOAD_HEADER - this.header.length;
      this.header = Buffer.concat([this.header, chunk.subarray(0, need)]);
      chunk = chunk.subarray(need);
      if (this.header.length === PAYLOAD_HEADER) this.hmac.update(this.header.subarray(32));
    }
    if (chunk.length === 0) return;
    this.hmac.update(chunk);
    if (this.decipher) this.plaintext(this.decipher.update(chunk));
  }

  /** Throws PayloadIntegrityError naming what does not match; returns the plaintext size when decrypted. */
  final(): { macVerified: true; digestVerified: boolean; plaintextSize?: number } {
    if (this.header.length < PAYLOAD_HEADER)
      throw new PayloadIntegrityError("the payload is shorter than its 48-byte MAC and IV header");
    const mac = this.hmac.digest();
    if (!timingSafeEqual(this.header.subarray(0, 32), this.expected.mac))
      throw new PayloadIntegrityError("the MAC at the start of the payload is not the Mac of Detection.xml");
    if (!timingSafeEqual(this.header.subarray(32, 48), this.expected.iv))
      throw new PayloadIntegrityError("the IV in the payload is not the InitializationVector of Detection.xml");
    if (!timingSafeEqual(mac, this.expected.mac))
      throw new PayloadIntegrityError("the MAC does not match the payload: it was changed or truncated");
    if (!this.decipher) return { macVerified: true, digestVerified: false };
    try {
      this.plaintext(this.decipher.final());
    } catch {
      throw new PayloadIntegrityError("the payload does not decrypt with the EncryptionKey of Detection.xml");
    }
    const digest = this.digest.digest();
    if (this.expected.fileDigest && !timingSafeEqual(digest, this.expected.fileDigest))
      throw new PayloadIntegrityError("the decrypted content does not match FileDigest");
    return { macVerified: true, digestVerified: this.expected.fileDigest !== undefined, plaintextSize: this.plain };
  }

  private plaintext(chunk: Buffer): void {
    this.plain += chunk.length;
    this.digest.update(chunk);
    this.onPlaintext?.(chunk);
  }
}
