// Packages for upload tests: the wixl fixture MSI packed into an .intunewin in a temp folder, and an app
// to upload it to.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ODATA } from "../../src/model";
import { packIntunewin, readIntunewin, readMsiFacts } from "../../src/package";
import type { ContentPackage } from "../../src/tenant/app-upload";
import type { GraphClient } from "../../src/graph";

export const FIXTURE_MSI = path.resolve(__dirname, "../fixtures/msi/per-machine-plugin.msi");

export async function packedFixture(msi = FIXTURE_MSI): Promise<ContentPackage> {
  const packed = await packIntunewin({
    setupFile: msi,
    outDir: mkdtempSync(path.join(tmpdir(), "wslpolicy-upload-")),
    msi: readMsiFacts(readFileSync(msi), msi),
  });
  const read = await readIntunewin(packed.path);
  return { file: packed.path, name: path.basename(packed.path), detection: read.detection, payload: read.payload };
}

export async function createApp(
  graph: GraphClient,
  displayName = "Stand-in plug-in",
): Promise<{ id: string; label: string }> {
  const app = await graph.post<{ id: string }>("deviceAppManagement/mobileApps", {
    "@odata.type": ODATA.win32LobApp,
    displayName,
    publisher: "wslpolicy test fixtures",
    fileName: "per-machine-plugin.intunewin",
    setupFilePath: "per-machine-plugin.msi",
  });
  return { id: app.id, label: `app '${displayName}'` };
}
