// Intune reporting actions used for rollout health gates: POST, answered
// as `application/octet-stream` JSON tables `{TotalRowCount, Schema, Values}` (Doc S47), computed from the
// per-device install states scripted with `state.setAppInstallState`. `ApplicationId` is mandatory. The
// overview's columns come in the order two public clients index them by position (ApplicationId,
// FailedDeviceCount, PendingInstallDeviceCount, InstalledDeviceCount, NotInstalledDeviceCount,
// NotApplicableDeviceCount, then the rest); `state.setReportColumnOrder("shuffled")` is the fault that
// permutes every table's columns, so a client that reads by position instead of by Schema is caught.
import { badRequest } from "../errors";
import type { EmulatorResponse } from "../http-types";
import { BETA, type Route, type RouteContext } from "../router";
import type { InstallState } from "../state";
import { bodyObject } from "./common";

type Column = { Column: string; PropertyType: "String" | "Int32" | "DateTime" };

function applicationId(ctx: RouteContext): string {
  const filter = bodyObject(ctx.req).filter;
  const m = typeof filter === "string" ? /ApplicationId\s+eq\s+'([^']+)'/i.exec(filter) : null;
  if (!m) throw badRequest("Filter on ApplicationId is required for this report.");
  return m[1]!;
}

/** Columns (and every row's values) in the order the scripted state says: as is, or permuted. */
function ordered(ctx: RouteContext, columns: Column[], rows: unknown[][]): { columns: Column[]; rows: unknown[][] } {
  if (ctx.env.state.reportColumnOrder !== "shuffled" || columns.length < 2) return { columns, rows };
  // A fixed permutation that moves every column: reversed, then rotated by one.
  const order = columns.map((_, i) => i).reverse();
  order.push(order.shift()!);
  return { columns: order.map((i) => columns[i]!), rows: rows.map((r) => order.map((i) => r[i])) };
}

function table(ctx: RouteContext, columns: Column[], rows: unknown[][], total = rows.length): EmulatorResponse {
  ({ columns, rows } = ordered(ctx, columns, rows));
  return {
    status: 200,
    headers: { "Content-Type": "application/octet-stream" },
    raw: Buffer.from(JSON.stringify({ TotalRowCount: total, Schema: columns, Values: rows })),
  };
}

const STATE_TEXT: Record<InstallState, string> = {
  installed: "Installed",
  failed: "Failed",
  pending: "Pending install",
  notInstalled: "Not installed",
  notApplicable: "Not applicable",
};
/** Emulator's numbering for AppInstallState (the report's enum is not documented). */
const STATE_CODE: Record<InstallState, number> = {
  installed: 1,
  failed: 2,
  notInstalled: 3,
  pending: 5,
  notApplicable: 99,
};

function overview(ctx: RouteContext): EmulatorResponse {
  const appId = applicationId(ctx);
  const app = ctx.env.state.get("deviceAppManagement/mobileApps", appId);
  const states = ctx.env.state.installStates(appId);
  const devices = (s: InstallState) => states.filter((r) => r.state === s).length;
  const users = (s: InstallState) =>
    new Set(states.filter((r) => r.state === s && r.userPrincipalName).map((r) => r.userPrincipalName)).size;
  const cols: Array<[string, Column["PropertyType"], unknown]> = [
    ["ApplicationId", "String", appId],
    ["FailedDeviceCount", "Int32", devices("failed")],
    ["PendingInstallDeviceCount", "Int32", devices("pending")],
    ["InstalledDeviceCount", "Int32", devices("installed")],
    ["NotInstalledDeviceCount", "Int32", devices("notInstalled")],
    ["NotApplicableDeviceCount", "Int32", devices("notApplicable")],
    ["DisplayName", "String", app?.displayName ?? null],
    ["Publisher", "String", app?.publisher ?? null],
    ["Platform", "String", "Windows"],
    ["AppVersion", "String", app?.displayVersion ?? null],
    ["FailedUserCount", "Int32", users("failed")],
    ["PendingInstallUserCount", "Int32", users("pending")],
    ["InstalledUserCount", "Int32", users("installed")],
    ["NotInstalledUserCount", "Int32", users("notInstalled")],
    ["NotApplicableUserCount", "Int32", users("notApplicable")],
  ];
  return table(
    ctx,
    cols.map(([Column, PropertyType]) => ({ Column, PropertyType })),
    [cols.map((c) => c[2])],
  );
}

function deviceStatus(ctx: RouteContext): EmulatorResponse {
  const appId = applicationId(ctx);
  const body = bodyObject(ctx.req);
  const app = ctx.env.state.get("deviceAppManagement/mobileApps", appId);
  const all: Record<string, Column["PropertyType"]> = {
    DeviceName: "String",
    UserPrincipalName: "String",
    UserName: "String",
    Platform: "String",
    AppVersion: "String",
    InstallState: "String",
    InstallStateDetail: "String",
    AppInstallState: "Int32",
    AppInstallStateDetails: "String",
    LastModifiedDateTime: "DateTime",
    DeviceId: "String",
    ErrorCode: "Int32",
    HexErrorCode: "String",
    ApplicationId: "String",
  };
  const select = Array.isArray(body.select) && body.select.length > 0 ? body.select.map(String) : Object.keys(all);
  const unknown = select.find((c) => !(c in all));
  if (unknown) throw badRequest(`Invalid select column '${unknown}'.`);
  const rows = ctx.env.state.installStates(appId).map((r) => {
    const code = r.errorCode ?? 0;
    const values: Record<string, unknown> = {
      DeviceName: r.deviceName ?? r.deviceId,
      UserPrincipalName: r.userPrincipalName ?? "",
      UserName: r.userPrincipalName?.split("@")[0] ?? "",
      Platform: "Windows",
      AppVersion: app?.displayVersion ?? "",
      InstallState: STATE_TEXT[r.state],
      InstallStateDetail: r.state === "failed" ? "Error" : "",
      AppInstallState: STATE_CODE[r.state],
      AppInstallStateDetails: STATE_TEXT[r.state],
      LastModifiedDateTime: r.lastModifiedDateTime,
      DeviceId: r.deviceId,
      ErrorCode: code,
      HexErrorCode: `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, "0")}`,
      ApplicationId: appId,
    };
    return select.map((c: string) => values[c]);
  });
  const skip = typeof body.skip === "number" ? body.skip : 0;
  const top = typeof body.top === "number" ? body.top : 50;
  return table(
    ctx,
    select.map((c: string) => ({ Column: c, PropertyType: all[c]! })),
    rows.slice(skip, skip + top),
    rows.length,
  );
}

const common = { versions: BETA, area: "reports", intune: true, write: false } as const;
export const reportRoutes: Route[] = [
  {
    ...common,
    method: "POST",
    pattern: ["deviceManagement", "reports", "getAppStatusOverviewReport"],
    handler: overview,
  },
  {
    ...common,
    method: "POST",
    pattern: ["deviceManagement", "reports", "getDeviceInstallStatusReport"],
    handler: deviceStatus,
  },
];
