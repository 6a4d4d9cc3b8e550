// Ring groups as Entra security groups through @pulumi/azuread (research/pulumi.md §6): assigned members,
// or a dynamic membership rule. The description carries the ownership marker like every object the
// stack creates; names derive from the ring's display name, never from generated ids.
import type * as azuread from "@pulumi/azuread";
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

/** Pulumi resource name of a ring group, stable across display-name case changes. */
export function ringResourceName(ring: Pick<RingDefinition, "name">): string {
  return `ring-${ringSlug(ring.name)}`;
}

/** The marker id of a ring group: `ring-<slug>`, cut to the policy-id length limit. */
export function ringMarkerId(ring: Pick<RingDefinition, "name">): string {
  return ringResourceName(ring).slice(0, 63).replace(/-+$/, "");
}

/** azuread.Group arguments of a ring: a security group, never mail-enabled; members XOR a dynamic rule. */
export function ringGroupArgs(ring: RingDefinition, stack: string): azuread.GroupArgs {
  const hasMembers = ring.members !== undefined && ring.members.length > 0;
  if (hasMembers && ring.rule) throw new Error(`ring '${ring.name}': a group has either members or a dynamic rule, not both`);
  // Assigned groups with no members yet are fine; dynamic groups need Entra ID P1 (research §6).
  const membership: Partial<azuread.GroupArgs> = ring.rule
    ? { types: ["DynamicMembership"], dynamicMembership: { enabled: true, rule: ring.rule } }
    : { members: [...(ring.members ?? [])].map((m) => m.toLowerCase()).sort() };
  return {
    displayName: ring.name,
    description: withMarker(ring.description, { stack, policyId: ringMarkerId(ring) }),
    securityEnabled: true,
    mailEnabled: false,
    // Entra requires a nickname even for security groups; 64 characters at most.
    mailNickname: ringSlug(ring.name).slice(0, 64),
    // Never create a twin of a group someone already made with this name: import it instead.
    preventDuplicateNames: true,
    ...membership,
  };
}
