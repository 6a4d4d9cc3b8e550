// Request bodies checked against the properties Graph beta declares per entity type (graph-schema/): OData
// refuses a property a non-open type does not declare, so a client typo fails here as it would on Graph
// instead of being stored and read back.
import { GraphHttpError } from "./errors";
import type { FilterType } from "./odata-filter";
import schema from "./graph-schema/beta-properties.json";
import type { Json } from "./shapes";

function declaredOf(type: string): { properties: string[]; navigationProperties: string[] } {
  const declared = (schema as Record<string, { properties: string[]; navigationProperties: string[] } | undefined>)[
    type
  ];
  if (!declared) throw new Error(`no property list for microsoft.graph.${type} in graph-schema/beta-properties.json`);
  return declared;
}

/** The properties a `$filter` on a collection of `type` may name. */
export function filterType(type: string): FilterType {
  const declared = declaredOf(type);
  return { name: `microsoft.graph.${type}`, properties: [...declared.properties, ...declared.navigationProperties] };
}

/** 400 for the first body property `type` (without `microsoft.graph.`)
 * does not declare; annotations are not properties. */
export function checkDeclaredProperties(body: Json, type: string): void {
  const declared = declaredOf(type);
  for (const key of Object.keys(body)) {
    if (key.includes("@")) continue;
    if (declared.properties.includes(key) || declared.navigationProperties.includes(key)) continue;
    throw new GraphHttpError(
      400,
      "BadRequest",
      `The property '${key}' does not exist on type 'microsoft.graph.${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
    );
  }
}
