// What plan says of a Win32 app's content: a new app packs and uploads its MSI; an app whose committed,
// published content is the pinned file uploads nothing; a new file is a new content version of the same app
// (the upload flow of api-reference/beta/api/intune-apps-win32lobapp-create.md and the committed-content
// PATCH of intune-apps-win32lobapp-update.md, both in microsoftgraph/microsoft-graph-docs-contrib).
import { describe, expect, it } from "vitest";
import { computePlan, diffObject } from "../../src/diff";
import { renderMarkdown, renderText } from "../../src/report";
import {
  COLLECTIONS,
  contentNote,
  emptySnapshot,
  type DesiredObject,
  type JsonObject,
  type MobileApp,
} from "../../src/model";
import { ctx } from "./fixtures";

const SHA = "4efcb831ca6777645d983b3ac1e129c4011cb4cd2659c6645c620cb0eceb58a5";
const OTHER = "083fe5779968f1314b5775067a5915cbdce8b2bb326ad833bd8d59487edc85c4";
const MSI = "packages/plugin.msi";

function app(sha256: string): JsonObject {
  return {
    "@odata.type": "#microsoft.graph.win32LobApp",
    displayName: "Plug-in",
    description: "The plug-in. [wslpolicy:local/plugin]",
    notes: contentNote({ setupFile: "plugin.msi", sha256 }),
    setupFilePath: "plugin.msi",
  };
}

const desired = (sha256: string): DesiredObject => ({
  kind: "mobileApp",
  policyId: "plugin",
  resourceName: "plugin",
  displayName: "Plug-in",
  sourceFile: "plugin.ts",
  document: app(sha256),
  assignments: [],
  content: { file: MSI, sha256 },
});

const live = (sha256: string, extra: JsonObject = {}): JsonObject => ({
  ...app(sha256),
  id: "11111111-2222-3333-4444-555555555555",
  committedContentVersion: "1",
  publishingState: "published",
  assignments: [],
  ...extra,
});

describe("an app's content in the plan", () => {
  it("a new app packs and uploads the pinned MSI", () => {
    const change = diffObject(desired(SHA), undefined, ctx);
    expect(change).toMatchObject({ action: "create", content: { file: MSI, sha256: SHA, upload: true } });
  });

  it("the same file, committed and published, uploads nothing and leaves the app unchanged", () => {
    const change = diffObject(desired(SHA), live(SHA), ctx);
    expect(change).toMatchObject({ action: "unchanged", content: { upload: false } });
  });

  it("a new file is an update that uploads a new content version", () => {
    const change = diffObject(desired(OTHER), live(SHA), ctx);
    expect(change).toMatchObject({ action: "update", content: { sha256: OTHER, upload: true } });
  });

  it("an app whose notes name the file but whose content never got published (an interrupted run) uploads again", () => {
    const change = diffObject(
      desired(SHA),
      live(SHA, { committedContentVersion: null, publishingState: "notPublished" }),
      ctx,
    );
    expect(change).toMatchObject({ action: "update", content: { upload: true } });
  });

  it("text and markdown say what the apply uploads", () => {
    const snapshot = { ...emptySnapshot(), [COLLECTIONS.mobileApps]: [live(SHA) as MobileApp] };
    const plan = computePlan({
      desired: { stack: "local", objects: [desired(OTHER)], rings: [] },
      live: snapshot,
      tenant: { kind: "snapshot", label: "test", tenantId: null, endpoint: null },
    });
    expect(plan.summary).toMatchObject({ update: 1 });
    const line = `content: pack and upload ${MSI} (sha256 ${OTHER.slice(0, 12)}…) as a new content version of the same app (id and assignments kept)`;
    expect(renderText(plan)).toContain(`⇡ ${line}`);
    expect(renderMarkdown(plan)).toContain(`- ${line}`);
  });
});
