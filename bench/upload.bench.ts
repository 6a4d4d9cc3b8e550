// Packing and uploading a 100 MB Win32 package: a setup file of 100 MB of random bytes (incompressible,
// the worst case for deflate) packed into an .intunewin (deflate + AES-256-CBC + HMAC, streamed), then
// uploaded to the emulator's content routes and storage in 6 MiB blocks, committed (the emulator checks
// size and MAC) and published, through the same code `pulumi up` runs. Printed: MB/s for each step.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { startEmulator } from "../src/emulator";
import { createGraphClient, emulatorCredential } from "../src/graph";
import { ODATA } from "../src/model";
import { packIntunewin, readIntunewin } from "../src/package";
import { publishAppContent, uploadAppContent } from "../src/tenant/app-upload";
import { createStorageClient } from "../src/tenant/storage-client";

const MB = 1_000_000;
const SIZE = 100 * MB;

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "wslpolicy-bench-upload-"));
  const emulator = await startEmulator({ throttling: { enabled: false } });
  const graph = createGraphClient({
    endpoint: emulator.baseUrl,
    credential: emulatorCredential(emulator),
    ca: emulator.caCertPem,
  });
  const storage = createStorageClient({ ca: emulator.caCertPem });
  try {
    const setup = path.join(dir, "setup.bin");
    const chunk = 10 * MB;
    for (let off = 0; off < SIZE; off += chunk)
      writeFileSync(setup, randomBytes(chunk), { flag: off === 0 ? "w" : "a" });

    let t = performance.now();
    const packed = await packIntunewin({ setupFile: setup, outDir: dir });
    const packS = (performance.now() - t) / 1000;
    t = performance.now();
    const read = await readIntunewin(packed.path, { decrypt: false });
    const verifyS = (performance.now() - t) / 1000;

    const app = await graph.post<{ id: string }>("deviceAppManagement/mobileApps", {
      "@odata.type": ODATA.win32LobApp,
      displayName: "bench",
    });
    t = performance.now();
    const result = await uploadAppContent(
      graph,
      { id: app.id, label: "app 'bench'" },
      { file: packed.path, name: path.basename(packed.path), detection: read.detection, payload: read.payload },
      { storage },
    );
    await publishAppContent(graph, { id: app.id, label: "app 'bench'" }, result.contentVersion);
    const uploadS = (performance.now() - t) / 1000;

    const mbps = (bytes: number, s: number) => `${(bytes / MB / s).toFixed(1)} MB/s`;
    process.stdout.write(
      `package of ${SIZE / MB} MB (random, incompressible): payload ${(read.payload.length / MB).toFixed(1)} MB\n`,
    );
    process.stdout.write(`  pack (deflate + encrypt + MAC, streamed): ${packS.toFixed(2)} s, ${mbps(SIZE, packS)}\n`);
    process.stdout.write(
      `  verify MAC of the package:                ${verifyS.toFixed(2)} s, ${mbps(read.payload.length, verifyS)}\n`,
    );
    process.stdout.write(
      `  upload ${result.blocks} blocks of 6 MiB, commit, publish:  ${uploadS.toFixed(2)} s, ${mbps(read.payload.length, uploadS)}\n`,
    );
  } finally {
    await storage.close();
    await graph.close();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
