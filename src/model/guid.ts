// The shape of an Entra / Intune object id. Graph ids are GUIDs; case does not matter to Graph, so the
// pattern is case-insensitive and canonical forms lowercase them.
export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The all-zero GUID: Intune's "none" for an optional reference (assignment filters, notification templates). */
export const ZERO_GUID = "00000000-0000-0000-0000-000000000000";
