// The provider's diff is plan's diff (src/diff/diff-object.ts) read in Pulumi's vocabulary: these specs
// cover what the emulator agreement test cannot reach — secrets, which Graph only ever returns encrypted.
import { describe, expect, it } from "vitest";
import { operations } from "../../src/pulumi";
import { compiledExamples, resourceInputs } from "./harness/fixtures";

const SECRET_ID = "device_vendor_msft_policy_config_example_secret";

function secret(value: string, valueState: "notEncrypted" | "encryptedValueToken") {
  return {
    "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
    settingDefinitionId: SECRET_ID,
    simpleSettingValue: {
      "@odata.type": "#microsoft.graph.deviceManagementConfigurationSecretSettingValue",
      value,
      valueState,
    },
  };
}

async function withSecret(
  value: string,
  valueState: "notEncrypted" | "encryptedValueToken" = "notEncrypted",
): Promise<Record<string, unknown>> {
  const obj = (await compiledExamples("ci")).objects.find((o) => o.policyId === "wsl-off")!;
  const inputs = resourceInputs(obj, "ci", "https://localhost:1/");
  const document = inputs.document as { settings: Record<string, unknown> };
  return {
    ...inputs,
    document: { ...document, settings: { ...document.settings, [SECRET_ID]: secret(value, valueState) } },
  };
}

describe("the provider's diff on secrets", () => {
  it("compares the plaintext it wrote with the plaintext declared, by hash", async () => {
    const olds = await withSecret("correct horse");
    expect(await operations.diff("configurationPolicy", "id", olds, await withSecret("correct horse"))).toMatchObject({
      changes: false,
      detailedDiff: {},
    });
    const rotated = await operations.diff("configurationPolicy", "id", olds, await withSecret("battery staple"));
    expect(rotated).toMatchObject({
      changes: true,
      replaces: [],
      detailedDiff: { [`document.settings[${JSON.stringify(SECRET_ID)}]`]: { kind: "update" } },
    });
  });

  it("treats Graph's encrypted token as unchanged, as plan does, instead of a change on every preview", async () => {
    const refreshed = await withSecret("opaque-token-from-graph", "encryptedValueToken");
    expect(
      await operations.diff("configurationPolicy", "id", refreshed, await withSecret("correct horse")),
    ).toMatchObject({ changes: false, detailedDiff: {} });
  });
});
