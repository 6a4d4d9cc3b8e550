// Secrets in generated scripts (an Ubuntu Pro token, a Landscape registration key): they must reach the
// device inside the script Intune runs, so they are in the body sent to Graph — and nowhere else. A policy
// file names where the value comes from (`tokenFrom: { env: "NAME" }`), never the value. A generated
// script carries each secret on one line of its own, a "slot":
//
//   $ubuntuProToken = '<value>' # wslpolicy-secret env:NAME ubuntuPro.tokenFrom
//
// The value takes three forms: `unresolved` (what compile emits: compile is pure and reads no
// environment), `sha256:<hex>` (the fingerprint form: what plans, Pulumi state and snapshots hold), and the
// secret itself (only in the body a writer sends, and in what Graph returns: Intune stores script content
// readable by anyone who may read scripts, learn.microsoft.com/mem/intune/fundamentals/remediations
// "Don't put … sensitive information in scripts"). Comparisons use the fingerprint form of both sides,
// so a changed token is drift that shows only two fingerprints.
import { createHash } from "node:crypto";

/** Where a secret's value comes from at apply time. */
export interface SecretSlot {
  /** The environment variable the value is read from. */
  env: string;
  /** The policy field that names it, for messages (`ubuntuPro.tokenFrom`). */
  field: string;
  /** The value on the line: `unresolved`, `sha256:<hex>`, or the secret. */
  value: string;
}

/** What compile writes before the value is known. */
export const UNRESOLVED = "unresolved";

const SLOT = /^(\$[A-Za-z]\w* = )'([^'\r\n]*)'( # wslpolicy-secret env:([A-Z_][A-Z0-9_]*) ([A-Za-z][\w.]*))$/gm;
const FINGERPRINT = /^sha256:[0-9a-f]{64}$/;

/**
 * What a secret value may be: printable, no quote or whitespace (it sits in a single-quoted PowerShell
 * literal and a YAML plain scalar). Ubuntu Pro tokens and Landscape keys are letters and digits.
 */
const SECRET_VALUE = /^[A-Za-z0-9_.+/=-]{8,512}$/;

/** The slot line compile writes for a secret read from `env`, assigned to the PowerShell variable `variable`. */
export function secretSlotLine(variable: string, env: string, field: string): string {
  return `$${variable} = '${UNRESOLVED}' # wslpolicy-secret env:${env} ${field}`;
}

export function secretSlots(text: string): SecretSlot[] {
  return [...text.matchAll(SLOT)].map((m) => ({ env: m[4]!, field: m[5]!, value: m[2]! }));
}

export function hasSecretSlots(text: string): boolean {
  return secretSlots(text).length > 0;
}

function replaceSlots(text: string, value: (slot: SecretSlot) => string): string {
  return text.replace(SLOT, (_all, head: string, v: string, tail: string, env: string, field: string) => {
    return `${head}'${value({ env, field, value: v })}'${tail}`;
  });
}

/** `sha256:<hex>` of a secret value (the fingerprint of its UTF-8 bytes). */
export function secretFingerprint(value: string): string {
  return `sha256:${createHash("sha256").update(value, "utf8").digest("hex")}`;
}

/**
 * Every slot in the fingerprint form. A real value becomes its fingerprint; `unresolved` becomes the
 * fingerprint of the environment's value when `env` has it, and stays `unresolved` otherwise.
 */
export function fingerprintSecrets(text: string, env?: Readonly<Record<string, string | undefined>>): string {
  return replaceSlots(text, (slot) => {
    if (FINGERPRINT.test(slot.value)) return slot.value;
    if (slot.value === UNRESOLVED) {
      const from = env?.[slot.env];
      return from ? secretFingerprint(from) : UNRESOLVED;
    }
    return secretFingerprint(slot.value);
  });
}

/** Unresolved slots given the fingerprint `known(env)` returns, where it returns one. */
export function fingerprintsFrom(text: string, known: (env: string) => string | undefined): string {
  return replaceSlots(text, (slot) => (slot.value === UNRESOLVED ? (known(slot.env) ?? UNRESOLVED) : slot.value));
}

/** A secret the apply needs and cannot have: names the policy file, the field and the variable. */
export class SecretUnavailable extends Error {}

/**
 * The script as it is sent to Graph: every slot holds the value read from the environment. Throws
 * SecretUnavailable (nothing is sent) when a variable is unset or malformed, or when its fingerprint is
 * not the one the inputs were checked with (the environment changed between preview and apply).
 */
export function insertSecrets(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  sourceFile: string,
): string {
  return replaceSlots(text, (slot) => {
    const value = env[slot.env];
    const where = `${sourceFile}: ${slot.field}`;
    if (value === undefined || value === "")
      throw new SecretUnavailable(`${where}: the environment variable ${slot.env} is not set; nothing was changed`);
    if (!SECRET_VALUE.test(value))
      throw new SecretUnavailable(
        `${where}: the value of ${slot.env} is not a token (8 to 512 letters, digits or _.+/=-); nothing was changed`,
      );
    if (FINGERPRINT.test(slot.value) && slot.value !== secretFingerprint(value))
      throw new SecretUnavailable(
        `${where}: ${slot.env} holds a different value than when the change was planned (${secretFingerprint(value)}, planned ${slot.value}); nothing was changed`,
      );
    return value;
  });
}

/** A base64 script field (Edm.Binary) with `fn` applied to its text; other values pass through. */
export function mapScriptText<T>(value: T, fn: (text: string) => string): T | string {
  if (typeof value !== "string") return value;
  const text = Buffer.from(value, "base64").toString("utf8");
  if (!hasSecretSlots(text)) return value;
  return Buffer.from(fn(text), "utf8").toString("base64");
}

/** A document with `fn` applied to the text of each of its script fields that has secret slots. */
export function mapScriptFields<D extends Readonly<Record<string, unknown>>>(
  document: D,
  fields: readonly string[],
  fn: (text: string) => string,
): D {
  const out: Record<string, unknown> = { ...document };
  for (const field of fields) if (field in out) out[field] = mapScriptText(out[field], fn);
  return out as D;
}

/** Every secret slot of a document's script fields (in field order). */
export function documentSecretSlots(
  document: Readonly<Record<string, unknown>>,
  fields: readonly string[],
): SecretSlot[] {
  return fields.flatMap((f) => {
    const v = document[f];
    return typeof v === "string" ? secretSlots(Buffer.from(v, "base64").toString("utf8")) : [];
  });
}
