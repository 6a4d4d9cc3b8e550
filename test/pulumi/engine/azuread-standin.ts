// A STAND-IN for the @pulumi/azuread resource plugin, which is a separate binary the Pulumi CLI downloads
// and which cannot run offline here. It does what that plugin does against Microsoft Graph for the parts a
// wslpolicy stack uses — `azuread.Group` create/read/update/delete and the `getGroup` invoke — through the
// emulator's `/groups` routes, so ring groups really exist in the emulator the Intune providers assign to.
// What it models is taken from the plugin's own schema as published in @pulumi/azuread (group.d.ts):
//   - `types`, `mailNickname`, `assignableToRole`, `provisioningOptions`, `onpremisesGroupType` and
//     `administrativeUnitIds` "force a new resource to be created" (a replace);
//   - `preventDuplicateNames: true` refuses to create a group whose display name is already taken;
//   - `members` are directory object ids added as member references; `dynamicMembership` sets the rule.
// It is not the plugin: defaults it computes, its retries and its error texts are not reproduced.
import { GraphError, type GraphClient } from "../../../src/graph";
import { isRecord, type JsonObject, type JsonValue } from "../../../src/model";

export const GROUP_TYPE = "azuread:index/group:Group";
export const GET_GROUP = "azuread:index/getGroup:getGroup";

/** Inputs whose change the azuread schema documents as forcing a new resource. */
const FORCE_NEW = [
  "types",
  "mailNickname",
  "assignableToRole",
  "provisioningOptions",
  "onpremisesGroupType",
  "administrativeUnitIds",
];
/** Inputs the stand-in compares for an in-place update. */
const UPDATABLE = [
  "displayName",
  "description",
  "members",
  "dynamicMembership",
  "securityEnabled",
  "mailEnabled",
  "preventDuplicateNames",
];

type Props = Record<string, unknown>;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sortedStrings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String).sort() : []);
const quote = (s: string) => s.replace(/'/g, "''");

export interface GroupDiff {
  changes: boolean;
  replaces: string[];
}

export class AzureadStandIn {
  constructor(private readonly graph: GraphClient) {}

  check(news: Props): string[] {
    const failures: string[] = [];
    if (typeof news.displayName !== "string" || news.displayName === "") failures.push("displayName: required");
    if (news.securityEnabled !== true && news.mailEnabled !== true)
      failures.push("one of securityEnabled or mailEnabled must be true");
    if (Array.isArray(news.members) && news.members.length > 0 && news.dynamicMembership !== undefined)
      failures.push("members cannot be used with dynamicMembership");
    return failures;
  }

  diff(olds: Props, news: Props): GroupDiff {
    const replaces = FORCE_NEW.filter(
      (k) => !same(k === "types" ? sortedStrings(olds[k]) : olds[k], k === "types" ? sortedStrings(news[k]) : news[k]),
    );
    const updates = UPDATABLE.filter(
      (k) =>
        !same(k === "members" ? sortedStrings(olds[k]) : olds[k], k === "members" ? sortedStrings(news[k]) : news[k]),
    );
    return { changes: replaces.length + updates.length > 0, replaces };
  }

  async create(inputs: Props): Promise<{ id: string; outputs: Props }> {
    const displayName = String(inputs.displayName);
    if (inputs.preventDuplicateNames === true) {
      const existing = await this.graph.list<{ id: string }>(
        `groups?$filter=displayName eq '${quote(displayName)}'&$select=id`,
      );
      if (existing.length > 0) {
        throw new Error(
          `creating group "${displayName}": found an existing group with the same display name (${existing.map((g) => g.id).join(", ")}) and preventDuplicateNames is true`,
        );
      }
    }
    const dynamic = isRecord<unknown>(inputs.dynamicMembership) ? inputs.dynamicMembership : undefined;
    const body: JsonObject = {
      displayName,
      description: typeof inputs.description === "string" ? inputs.description : null,
      mailEnabled: inputs.mailEnabled === true,
      mailNickname:
        typeof inputs.mailNickname === "string"
          ? inputs.mailNickname
          : displayName.replace(/[^A-Za-z0-9]/g, "").slice(0, 64),
      securityEnabled: inputs.securityEnabled === true,
      groupTypes: sortedStrings(inputs.types),
      ...(dynamic
        ? {
            membershipRule: String(dynamic.rule),
            membershipRuleProcessingState: dynamic.enabled === false ? "Paused" : "On",
          }
        : {}),
    };
    const created = await this.graph.post<{ id: string }>("groups", body, { idempotent: false });
    for (const member of sortedStrings(inputs.members)) {
      await this.graph.post(
        `groups/${created.id}/members/$ref`,
        { "@odata.id": `${this.graph.endpoint}v1.0/directoryObjects/${member}` },
        { idempotent: false },
      );
    }
    return { id: created.id, outputs: { ...inputs, objectId: created.id } };
  }

  async read(id: string, olds: Props): Promise<Props | undefined> {
    let live: JsonObject;
    try {
      live = await this.graph.get<JsonObject>(`groups/${id}`);
    } catch (err) {
      if (err instanceof GraphError && err.notFound) return undefined;
      throw err;
    }
    const members = await this.graph.list<{ id: string }>(`groups/${id}/members?$select=id`);
    const types = Array.isArray(live.groupTypes) ? (live.groupTypes as JsonValue[]).map(String).sort() : [];
    return {
      ...olds,
      displayName: live.displayName,
      description: live.description ?? undefined,
      securityEnabled: live.securityEnabled,
      mailEnabled: live.mailEnabled,
      mailNickname: live.mailNickname,
      ...(types.length > 0 ? { types } : {}),
      ...(typeof live.membershipRule === "string"
        ? { dynamicMembership: { enabled: live.membershipRuleProcessingState !== "Paused", rule: live.membershipRule } }
        : {}),
      ...(olds.members !== undefined || members.length > 0 ? { members: members.map((m) => m.id).sort() } : {}),
      objectId: id,
    };
  }

  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const patch: JsonObject = {};
    for (const key of ["displayName", "description"] as const)
      if (!same(olds[key], news[key])) patch[key] = (news[key] as string | undefined) ?? null;
    const dynamic = isRecord<unknown>(news.dynamicMembership) ? news.dynamicMembership : undefined;
    if (!same(olds.dynamicMembership, news.dynamicMembership) && dynamic) patch.membershipRule = String(dynamic.rule);
    if (Object.keys(patch).length > 0) await this.graph.patch(`groups/${id}`, patch);
    const before = new Set(sortedStrings(olds.members));
    const after = new Set(sortedStrings(news.members));
    for (const m of after)
      if (!before.has(m))
        await this.graph.post(
          `groups/${id}/members/$ref`,
          { "@odata.id": `${this.graph.endpoint}v1.0/directoryObjects/${m}` },
          { idempotent: false },
        );
    for (const m of before) if (!after.has(m)) await this.graph.delete(`groups/${id}/members/${m}/$ref`);
    return { ...news, objectId: id };
  }

  async delete(id: string): Promise<void> {
    try {
      await this.graph.delete(`groups/${id}`);
    } catch (err) {
      if (!(err instanceof GraphError && err.notFound)) throw err;
    }
  }

  /** `azuread.getGroup`: by object id, or by display name (exactly one group, optionally security-enabled only). */
  async getGroup(args: Props): Promise<Props> {
    let group: JsonObject;
    if (typeof args.objectId === "string") {
      group = await this.graph.get<JsonObject>(`groups/${args.objectId}`);
    } else if (typeof args.displayName === "string") {
      const filter = `displayName eq '${quote(args.displayName)}'${args.securityEnabled === true ? " and securityEnabled eq true" : ""}`;
      const found = await this.graph.list<JsonObject>(`groups?$filter=${filter}`);
      if (found.length !== 1)
        throw new Error(
          `getGroup: ${found.length} groups have the display name "${args.displayName}"; expected exactly one`,
        );
      group = found[0]!;
    } else {
      throw new Error("getGroup: one of objectId or displayName must be given");
    }
    return {
      id: group.id,
      objectId: group.id,
      displayName: group.displayName,
      securityEnabled: group.securityEnabled,
      mailEnabled: group.mailEnabled,
      description: group.description ?? "",
    };
  }
}
