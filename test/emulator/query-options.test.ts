// Query options as the services apply them. Intune lists: `$top=0` is an empty page and `$skip` skips (OData,
// docs.oasis-open.org/odata/odata/v4.01 part 2 §5.1.7–5.1.8), an unknown `$filter` property is OData's 400.
// Groups (api-reference/v1.0/api/group-list.md, concepts/aad-advanced-queries.md): `$skip` is not supported,
// `$top` is 1–999, and `$count`, `$search` and `endswith` need `ConsistencyLevel: eventual`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COLLECTIONS } from "../../src/model";
import { seedTenant } from "../graph/fixtures";
import { start, type TestEmulator } from "./helpers";

let emu: TestEmulator;
beforeAll(async () => {
  const seed = seedTenant({ policies: 5, settings: 1 }) as Record<string, unknown[]>;
  seed[COLLECTIONS.groups] = ["Developers", "Kiosk Devices", "WSL Ring 1 - Pilot"].map((displayName, i) => ({
    id: `0000000${i}-0000-4000-8000-000000000000`,
    displayName,
    securityEnabled: true,
    mailEnabled: false,
    groupTypes: [],
  }));
  emu = await start({ seed: seed as never, throttling: { enabled: false } });
});
afterAll(async () => emu.stop());

const POLICIES = "beta/deviceManagement/configurationPolicies";
const ids = (res: { body: { value: { id: string }[] } }) => res.body.value.map((p) => p.id);

describe("Intune list query options", () => {
  it("$top=0 is an empty page without a nextLink", async () => {
    const res = await emu.call("GET", `${POLICIES}?$top=0`);
    expect(res.status).toBe(200);
    expect(res.body.value).toEqual([]);
    expect(res.body["@odata.nextLink"]).toBeUndefined();
  });

  it("$skip skips, and its nextLink continues after the skipped items", async () => {
    const all = ids(await emu.call("GET", POLICIES));
    const page = await emu.call("GET", `${POLICIES}?$top=2&$skip=1`);
    expect(ids(page)).toEqual(all.slice(1, 3));
    const next = await emu.call("GET", page.body["@odata.nextLink"]);
    expect(ids(next)).toEqual(all.slice(3, 5));
  });

  it("an unknown $filter property is a 400, a declared one filters", async () => {
    const bad = await emu.call("GET", `${POLICIES}?$filter=bogusProp eq 'x'`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      "Could not find a property named 'bogusProp' on type 'microsoft.graph.deviceManagementConfigurationPolicy'.",
    );
    expect((await emu.call("GET", `${POLICIES}?$filter=templateReference/templateFamily eq 'none'`)).status).toBe(200);
  });
});

describe("group list query options", () => {
  const eventual = { headers: { ConsistencyLevel: "eventual" } };

  it("refuses $skip and a $top above 999", async () => {
    expect((await emu.call("GET", "v1.0/groups?$skip=1")).status).toBe(400);
    const top = await emu.call("GET", "v1.0/groups?$top=1000");
    expect(top.status).toBe(400);
    expect(top.body.error.message).toContain("Must be between 1 and 999 inclusive");
    expect((await emu.call("GET", "v1.0/groups?$top=999")).status).toBe(200);
  });

  it.each([
    ["$count", "$count=true"],
    ["$search", '$search="displayName:Ring"'],
    ["endswith", "$filter=endswith(displayName,'Devices')"],
  ])("%s needs ConsistencyLevel: eventual", async (_name, query) => {
    expect((await emu.call("GET", `v1.0/groups?${query}`)).status).toBe(400);
    expect((await emu.call("GET", `v1.0/groups?${query}&$count=true`, undefined, eventual)).status).toBe(200);
  });

  it("with the header, $search and endswith find the right groups and $count counts them", async () => {
    const search = await emu.call("GET", 'v1.0/groups?$search="displayName:ring"&$count=true', undefined, eventual);
    expect(search.body.value.map((g: { displayName: string }) => g.displayName)).toEqual(["WSL Ring 1 - Pilot"]);
    expect(search.body["@odata.count"]).toBe(1);
    const ends = await emu.call(
      "GET",
      "v1.0/groups?$filter=endswith(displayName,'Devices')&$count=true",
      undefined,
      eventual,
    );
    expect(ends.body.value.map((g: { displayName: string }) => g.displayName)).toEqual(["Kiosk Devices"]);
  });

  it("an unknown $filter property is a 400", async () => {
    expect((await emu.call("GET", "v1.0/groups?$filter=bogus eq 'x'")).status).toBe(400);
  });
});
