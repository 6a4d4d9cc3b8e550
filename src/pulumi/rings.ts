// Ring groups as Entra security groups through @pulumi/azuread (https://www.pulumi.com/registry/packages/azuread/api-docs/group/): assigned members,
// or a dynamic membership rule. The description carries the ownership marker like every object the
// stack creates; names derive from the ring's display name, never from generated ids.
import type * as azuread from "@pulumi/azuread";
import type { CloudName } from "../config";
import { withMarker, type RingDefinition } from "../model";

/** `WSL Ring 1 - Pilot` → `wsl-ring-1-pilot`. */
export function ringSlug(name: string): string {
  const slug = name
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  if (!slug) throw new Error(`ring '${name}': the name needs at least one letter or digit`);
  return slug;
}

/**
 * Pulumi resource name of a ring group: `ring-<key>` when the ring has a key (stable across renames),
 * otherwise `ring-<slug of the name>` (stable across case changes only).
 */
export function ringResourceName(ring: Pick<RingDefinition, "name" | "key">): string {
  return `ring-${ring.key ?? ringSlug(ring.name)}`;
}

/**
 * Earlier names of the same ring group, as Pulumi aliases: a ring that gains a key keeps the group it got
 * under its name-derived resource name (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
 */
export function ringAliases(ring: Pick<RingDefinition, "name" | "key">): string[] {
  const derived = `ring-${ringSlug(ring.name)}`;
  return ring.key !== undefined && derived !== ringResourceName(ring) ? [derived] : [];
}

/** The marker id of a ring group: its resource name, cut to the policy-id length limit. */
export function ringMarkerId(ring: Pick<RingDefinition, "name" | "key">): string {
  return ringResourceName(ring).slice(0, 63).replace(/-+$/, "");
}

/**
 * Resource options of a ring group (@pulumi/azuread group.d.ts: `types` and `mailNickname` "force a new
 * resource to be created"):
 *   - switching between `members` and a `rule` changes `types`, a replacement; create-before-delete would
 *     then create a second group with the same display name, which `preventDuplicateNames` refuses, so the
 *     old group is deleted first;
 *   - the nickname of a security group is never used for mail; it is set at create and then ignored, so a
 *     rename (or a ring gaining a key) never recreates the group.
 */
export function ringGroupOptions(
  ring: Pick<RingDefinition, "name" | "key">,
  provider: azuread.Provider,
): { provider: azuread.Provider; deleteBeforeReplace: true; ignoreChanges: string[]; aliases: { name: string }[] } {
  return {
    provider,
    deleteBeforeReplace: true,
    ignoreChanges: ["mailNickname"],
    aliases: ringAliases(ring).map((name) => ({ name })),
  };
}

/** azuread provider `environment` of each cloud (https://www.pulumi.com/registry/packages/azuread/installation-configuration/). */
export const AZUREAD_ENVIRONMENT: Readonly<Record<CloudName, string>> = {
  global: "global",
  usgov: "usgovernmentl4",
  usgovdod: "usgovernmentl5",
  china: "china",
};

/** azuread.Group arguments of a ring: a security group, never mail-enabled; members XOR a dynamic rule. */
export function ringGroupArgs(ring: RingDefinition, stack: string): azuread.GroupArgs {
  const hasMembers = ring.members !== undefined && ring.members.length > 0;
  if (hasMembers && ring.rule)
    throw new Error(`ring '${ring.name}': a group has either members or a dynamic rule, not both`);
  // Assigned groups with no members yet are fine; dynamic groups need Entra ID P1 (https://learn.microsoft.com/entra/identity/users/groups-dynamic-membership).
  const membership: Partial<azuread.GroupArgs> = ring.rule
    ? { types: ["DynamicMembership"], dynamicMembership: { enabled: true, rule: ring.rule } }
    : { members: [...(ring.members ?? [])].map((m) => m.toLowerCase()).sort() };
  return {
    displayName: ring.name,
    description: withMarker(ring.description, { stack, policyId: ringMarkerId(ring) }),
    securityEnabled: true,
    mailEnabled: false,
    // Entra requires a nickname even for security groups; 64 characters at most.
    mailNickname: (ring.key ?? ringSlug(ring.name)).slice(0, 64),
    // Never create a twin of a group someone already made with this name: import it instead.
    preventDuplicateNames: true,
    ...membership,
  };
}
