// The ownership marker. Every object wslpolicy creates carries, on the last line of its description,
//   [wslpolicy:<stack>/<policyId>]
// The tool changes or deletes only objects whose marker names its own stack (or that a policy adopts by
// id); it is how a create that may have happened is found again after a fault (README, "Ownership").

export interface OwnershipMarker {
  stack: string;
  policyId: string;
}

/** Pulumi stack names allow letters, digits, `-`, `_` and `.`; policy ids are kebab-case. */
export const STACK_NAME = /^[A-Za-z0-9_.-]{1,100}$/;
export const POLICY_ID = /^[a-z][a-z0-9-]{0,62}$/;

const MARKER = /\[wslpolicy:([A-Za-z0-9_.-]{1,100})\/([a-z][a-z0-9-]{0,62})\]\s*$/;
const MARKER_LINE = new RegExp(`\\s*${MARKER.source}`);

export function formatMarker(marker: OwnershipMarker): string {
  if (!STACK_NAME.test(marker.stack)) throw new Error(`invalid stack name '${marker.stack}'`);
  if (!POLICY_ID.test(marker.policyId)) throw new Error(`invalid policy id '${marker.policyId}'`);
  return `[wslpolicy:${marker.stack}/${marker.policyId}]`;
}

/** A description that ends with the marker; the user's text stays first so the portal shows it. */
export function withMarker(description: string, marker: OwnershipMarker): string {
  const text = description.trim();
  return text ? `${text}\n\n${formatMarker(marker)}` : formatMarker(marker);
}

/** The description without its trailing ownership marker (ours or another stack's), trimmed as `withMarker` trims. */
export function stripMarker(description: string | null | undefined): string {
  return (description ?? "").replace(/\r\n/g, "\n").replace(MARKER_LINE, "").trim();
}

export function parseMarker(description: string | null | undefined): OwnershipMarker | undefined {
  const m = description ? MARKER.exec(description) : null;
  return m ? { stack: m[1]!, policyId: m[2]! } : undefined;
}

export function isOwnedBy(description: string | null | undefined, stack: string, policyId?: string): boolean {
  const m = parseMarker(description);
  return m !== undefined && m.stack === stack && (policyId === undefined || m.policyId === policyId);
}
