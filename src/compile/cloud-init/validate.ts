// Checks a `#cloud-config` user-data file the way the device will read it, before it is sent anywhere:
//   - bytes: no UTF-8 BOM (the WSL datasource then does not see `#cloud-config` and ignores the file:
//     cloud-init `cloudinit/handlers/__init__.py` type_from_starts_with), `#cloud-config` on the first line;
//   - YAML: parsed with duplicate keys refused. cloud-init's loader (PyYAML) keeps the last of two
//     `runcmd:` keys and silently drops the first; `yaml` refuses it (its `uniqueKeys` default);
//   - cloud-init's own JSON schema (tag 24.1, ./data/), validated with ajv's draft-04 class: unknown
//     top-level keys and deprecated spellings such as `ssh-authorized-keys` are errors.
import Ajv from "ajv-draft-04";
import addFormats from "ajv-formats";
import { parseDocument } from "yaml";
import schema from "./data/schema-cloud-config-v1.json";

let validator: ReturnType<Ajv["compile"]> | undefined;
function schemaValidator(): ReturnType<Ajv["compile"]> {
  if (!validator) {
    // strict: false because the schema uses cloud-init's own keywords (`deprecated`, `changed`, …).
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** What is wrong with the user-data text, one message per problem; empty when cloud-init will accept it. */
export function userDataProblems(text: string): string[] {
  if (text.charCodeAt(0) === 0xfeff)
    return [
      "starts with a byte order mark: the WSL datasource would not recognise '#cloud-config' and ignore the file",
    ];
  if (text.split("\n", 1)[0] !== "#cloud-config") return ["the first line must be exactly '#cloud-config'"];
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) return doc.errors.map((e) => `not valid YAML: ${e.message.split("\n")[0]}`);
  const data: unknown = doc.toJS();
  const validate = schemaValidator();
  if (validate(data)) return [];
  return (validate.errors ?? []).map(
    (e) =>
      `cloud-init schema: ${e.instancePath || "(top level)"} ${e.message ?? "is invalid"}${e.params && "additionalProperty" in e.params ? ` ('${String(e.params.additionalProperty)}')` : ""}`,
  );
}
