// Run in a fresh plain-Node process (`node --require tsx/cjs`), never inside vitest: prints the text the
// Pulumi SDK stores as `__provider` for each kind, serialized exactly as dynamic.Resource does it
// (`serializeFunction(() => provider, { allowSecrets: true })`).
import * as pulumi from "@pulumi/pulumi";
import { providers } from "../../../src/pulumi/providers";

async function main(): Promise<void> {
  const out: Record<string, { text: string; containsSecrets: boolean }> = {};
  for (const [kind, provider] of Object.entries(providers)) {
    const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
    out[kind] = { text: sf.text, containsSecrets: sf.containsSecrets };
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
