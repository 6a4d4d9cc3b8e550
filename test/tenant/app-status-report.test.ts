// The install counts of an app from getAppStatusOverviewReport, mapped by the Schema's column names:
// right in the column order two public clients observed, right with the columns shuffled (the emulator's
// fault), and an error naming the column when one is missing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countsFromTable, readAppInstallCounts } from "../../src/tenant/app-status-report";
import { startHarness, type Harness } from "../graph/fixtures";
import { createApp } from "./upload-fixtures";

let h: Harness;
let appId: string;
beforeAll(async () => {
  h = await startHarness();
  appId = (await createApp(h.graph)).id;
  const states = ["installed", "installed", "installed", "failed", "pending", "notApplicable", "notInstalled"] as const;
  states.forEach((s, i) => h.emulator.state.setAppInstallState(appId, `device-${i}`, s));
});
afterAll(async () => h.stop());

const EXPECTED = { installed: 3, failed: 1, pending: 1, notInstalled: 1, notApplicable: 1 };

describe("getAppStatusOverviewReport", () => {
  it("answers its counts in the observed column order, ApplicationId first", async () => {
    const raw = await h.graph.post<string>("deviceManagement/reports/getAppStatusOverviewReport", {
      filter: `(ApplicationId eq '${appId}')`,
    });
    const table = JSON.parse(raw) as { Schema: { Column: string }[] };
    expect(table.Schema.slice(0, 6).map((c) => c.Column)).toEqual([
      "ApplicationId",
      "FailedDeviceCount",
      "PendingInstallDeviceCount",
      "InstalledDeviceCount",
      "NotInstalledDeviceCount",
      "NotApplicableDeviceCount",
    ]);
    expect(await readAppInstallCounts(h.graph, appId)).toEqual(EXPECTED);
  });

  it("gives the same counts when the service shuffles its columns", async () => {
    h.emulator.state.setReportColumnOrder("shuffled");
    try {
      const raw = await h.graph.post<string>("deviceManagement/reports/getAppStatusOverviewReport", {
        filter: `(ApplicationId eq '${appId}')`,
      });
      const table = JSON.parse(raw) as { Schema: { Column: string }[] };
      // A positional reader would now read another column as InstalledDeviceCount.
      expect(table.Schema[3]!.Column).not.toBe("InstalledDeviceCount");
      expect(await readAppInstallCounts(h.graph, appId)).toEqual(EXPECTED);
    } finally {
      h.emulator.state.setReportColumnOrder("observed");
    }
  });

  it("names the column a report lacks, and a value that is no count", () => {
    const schema = [
      "ApplicationId",
      "FailedDeviceCount",
      "PendingInstallDeviceCount",
      "InstalledDeviceCount",
      "NotInstalledDeviceCount",
    ].map((Column) => ({ Column }));
    expect(() => countsFromTable(JSON.stringify({ Schema: schema, Values: [["a", 1, 2, 3, 4]] }), "a")).toThrow(
      "getAppStatusOverviewReport for app a: the report has no NotApplicableDeviceCount column",
    );
    const full = [...schema, { Column: "NotApplicableDeviceCount" }];
    expect(() => countsFromTable(JSON.stringify({ Schema: full, Values: [["a", 1, 2, "many", 4, 0]] }), "a")).toThrow(
      "InstalledDeviceCount is 'many', not a count",
    );
  });
});
