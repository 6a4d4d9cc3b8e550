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
    const res = await fetch(`${endpoint}v1.0/groups?$filter=${encodeURIComponent("displayName eq 'Contractors'")}`, {
      headers: { authorization: `Bearer ${token}` },
      dispatcher,
    } as unknown as RequestInit);
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

describe("faults in a running `wslpolicy emulator` (users' chaos tests)", () => {
  it("--faults FILE injects faults from the start; the admin route adds, counts and clears them, with its token only", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emu-faults-"));
    const { io, out } = captureIO(dir);
    let stop!: () => void;
    const until = new Promise<void>((r) => (stop = r));
    writeFileSync(
      path.join(dir, "faults.json"),
      JSON.stringify({ faults: [{ kind: "503", method: "GET", path: "groups", times: 1 }] }),
    );
    const running = runEmulator({ throttling: false, faults: "faults.json" }, io, until);
    try {
      await waitFor(() => out().includes("Press Ctrl+C"));
      expect(out()).toContain("Faults: 1 from faults.json");
      const endpoint = /WSLPOLICY_GRAPH_ENDPOINT=(\S+)/.exec(out())![1]!;
      const token = /WSLPOLICY_EMULATOR_TOKEN=(\S+)/.exec(out())![1]!;
      const admin = /WSLPOLICY_EMULATOR_ADMIN_TOKEN=(\S+)/.exec(out())![1]!;
      const dispatcher = new Agent({
        connect: { ca: readFileSync(/WSLPOLICY_EMULATOR_CA=(\S+)/.exec(out())![1]!, "utf8") },
      });
      const call = (method: string, url: string, auth: string, body?: unknown) =>
        fetch(url, {
          method,
          headers: { authorization: `Bearer ${auth}`, "content-type": "application/json" },
          body: body === undefined ? undefined : JSON.stringify(body),
          dispatcher,
        } as unknown as RequestInit);
      const groups = () => call("GET", `${endpoint}v1.0/groups`, token).then((r) => r.status);
      const faultsUrl = `${endpoint}_wslpolicy/faults`;

      expect(await groups()).toBe(503); // from the file
      expect(await groups()).toBe(200);
      expect((await call("POST", faultsUrl, token, { faults: [{ kind: "429", path: "groups" }] })).status).toBe(401); // a Graph token is not the admin token
      const added = await call("POST", faultsUrl, admin, {
        faults: [{ kind: "429", path: { regex: "^group" }, retryAfter: "absent", times: 2 }],
      });
      expect(added.status).toBe(200);
      expect(await added.json()).toEqual({ faults: 2 });
      expect([await groups(), await groups(), await groups()]).toEqual([429, 429, 200]);
      const bad = await call("POST", faultsUrl, admin, { faults: [{ kind: "418", path: "groups" }] });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
        /^request body: invalid faults\n {2}faults\.0\.kind: /,
      );
      await call("POST", faultsUrl, admin, { faults: [{ kind: "500", path: "groups" }] });
      expect(await (await call("DELETE", faultsUrl, admin)).json()).toEqual({ faults: 0 });
      expect(await groups()).toBe(200);
      await dispatcher.close();
    } finally {
      stop();
      await running;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bad --faults file is exit 1 naming the file and the field", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "emu-faults-"));
    try {
      writeFileSync(
        path.join(dir, "faults.json"),
        JSON.stringify({ faults: [{ kind: "500-on-page", path: "groups" }] }),
      );
      const { io, err } = captureIO(dir);
      expect(await runEmulator({ throttling: true, faults: "faults.json" }, io, Promise.resolve())).toBe(1);
      expect(err()).toContain("faults.json: faults.0.page: fault '500-on-page' needs `page`");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
