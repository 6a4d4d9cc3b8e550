// Script content of platform scripts and Remediations (Edm.Binary: base64 in JSON). wslpolicy compares
// and shows it only as a SHA-256 fingerprint of the decoded bytes: plans, drift, snapshots of state and
// Pulumi state never carry the script itself (it may hold an organisation secret at apply time).
// https://learn.microsoft.com/graph/api/resources/intune-devices-devicemanagementscript?view=graph-rest-beta
import { createHash } from "node:crypto";
import { fingerprintSecrets, hasSecretSlots } from "./script-secrets";

/** UTF-8 text (no BOM) as the base64 a script object carries. */
export function scriptContentBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/** `sha256:<hex>` of the bytes; the fingerprint every comparison and report uses. */
export function bytesFingerprint(bytes: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

/**
 * The fingerprint of a base64 content field as Graph returns it (or a compiled document holds it). A
 * list read returns null: that is "not read", a value no fingerprint equals, so it shows as a change
 * rather than passing as equal.
 */
export function contentFingerprint(value: unknown): string {
  if (typeof value !== "string") return "unread";
  const bytes = Buffer.from(value, "base64");
  const text = bytes.toString("utf8");
  // A script with secret slots is compared in its fingerprint form (./script-secrets.ts): the live
  // script holds the secret, the desired one its fingerprint.
  return hasSecretSlots(text) ? bytesFingerprint(fingerprintSecrets(text)) : bytesFingerprint(bytes);
}
