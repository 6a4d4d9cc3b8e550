// Secrets named by policy files (`tokenFrom: { env: "NAME" }`), resolved at the edge where the
// environment is: each secret slot of a compiled script takes the fingerprint of the variable's value
// (src/intune/script-secrets.ts), so plans compare fingerprints with the live script and never hold the
// value. A variable not set here leaves the slot unresolved and says so: the plan cannot compare the
// secret, and an apply (which needs the value) stops with an error naming the file and the field.
import { kindSpec } from "../kinds";
import { documentSecretSlots, fingerprintSecrets, mapScriptFields, UNRESOLVED } from "../intune";
import type { DesiredState, Diagnostic } from "../model";

/** The rule id of the warning for a secret the environment does not have. */
export const SECRET_NOT_SET = "secret-not-set";

export function withSecretFingerprints(
  desired: DesiredState,
  env: Readonly<Record<string, string | undefined>>,
): { desired: DesiredState; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const objects = desired.objects.map((obj) => {
    const fields = kindSpec(obj.kind).scriptContent ?? [];
    const document = mapScriptFields(obj.document, fields, (text) => fingerprintSecrets(text, env));
    for (const slot of documentSecretSlots(document, fields).filter((s) => s.value === UNRESOLVED))
      diagnostics.push({
        code: "secret-not-set",
        severity: "warning",
        file: obj.sourceFile,
        path: `${obj.policyId}.${slot.field}`,
        rule: SECRET_NOT_SET,
        message: `the environment variable ${slot.env} is not set here: the secret cannot be compared (the script shows as changed), and an apply stops until it is set`,
      });
    return { ...obj, document };
  });
  return { desired: { ...desired, objects }, diagnostics };
}
