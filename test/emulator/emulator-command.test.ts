// `wslpolicy emulator`: starts the emulator, prints the base URL, the CA file and the variables a client
// needs, serves requests with the printed token and CA, and stops cleanly; bad input names the file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Agent } from "undici";
import { describe, expect, it } from "vitest";
import { runEmulator } from "../../src/cli/commands/emulator";
import type { CliIO } from "../../src/cli/io";

function captureIO(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: {}, cwd };
  return { io, out: () => out.join(""), err: () => err.join("") };
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}

describe("wslpolicy emulator", () => {
  it("prints how to reach it and serves the demo seed with the printed token and CA until stopped", async () => {
    const { io, out } = captureIO();
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    const running = runEmulator({ seed: "seeds/demo-tenant.json", throttling: true, timeScale: "0.01" }, io, until);
    await waitFor(() => out().includes("Press Ctrl+C"));
    const endpoint = /WSLPOLICY_GRAPH_ENDPOINT=(\S+)/.exec(out())?.[1];
    const caFile = /WSLPOLICY_EMULATOR_CA=(\S+)/.exec(out())?.[1];
    const token = /WSLPOLICY_EMULATOR_TOKEN=(\S+)/.exec(out())?.[1];
    expect(endpoint).toMatch(/^https:\/\/localhost:\d+\/$/);
    expect(out()).toContain("WSLPOLICY_EMULATOR_TIME_SCALE=0.01");
    const dispatcher = new Agent({ connect: { ca: readFileSync(caFile!, "utf8") } });
    const res = await fetch(`${endpoint}v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Contractors'")}`, { headers: { authorization: `Bearer ${token}` }, dispatcher } as unknown as RequestInit);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { value: unknown[] }).value).toHaveLength(2);
    await dispatcher.close();
    stop();
    expect(await running).toBe(0);
    expect(out()).toContain("emulator stopped");
  });

  it("exits 1 naming the seed file when it is not a tenant snapshot", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emu-cli-"));
    try {
      writeFileSync(path.join(dir, "seed.json"), JSON.stringify({ groups: [{ displayName: "no id" }] }));
      const { io, err } = captureIO(dir);
      expect(await runEmulator({ seed: "seed.json", throttling: true }, io, Promise.resolve())).toBe(1);
      expect(err()).toMatch(/seed\.json.*groups\.0\.id/);
      writeFileSync(path.join(dir, "broken.json"), "{");
      expect(await runEmulator({ seed: "broken.json", throttling: true }, io, Promise.resolve())).toBe(1);
      expect(err()).toMatch(/broken\.json: seed is not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects a bad --port", async () => {
    const { io, err } = captureIO();
    expect(await runEmulator({ port: "http", throttling: true }, io, Promise.resolve())).toBe(1);
    expect(err()).toContain("--port: 'http' is not valid");
  });
});
