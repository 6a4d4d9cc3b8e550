// Validation of the assignment list an Intune `assign` action receives (policies and apps alike): the
// target types the service accepts, a group id where one is needed, the filter mode.
import { isRecord, odataKind } from "../../model";
import { abstractClass, GraphHttpError, intuneBadRequest } from "../errors";
import { clone, type Json } from "../shapes";

const VALID_TARGETS = new Set([
  "groupAssignmentTarget",
  "exclusionGroupAssignmentTarget",
  "allDevicesAssignmentTarget",
  "allLicensedUsersAssignmentTarget",
]);

/** Validates `assignments[]` of an assign action the way the service does. */
export function checkAssignments(list: unknown, key: string): Json[] {
  if (!Array.isArray(list))
    throw new GraphHttpError(400, "BadRequest", `Value cannot be null.\r\nParameter name: ${key}`);
  return list.map((a) => {
    if (!isRecord(a) || !isRecord(a.target)) throw intuneBadRequest("Assignment target is required.");
    const t = a.target;
    if (typeof t["@odata.type"] !== "string") throw abstractClass();
    const kind = odataKind(t["@odata.type"]) ?? "";
    if (!VALID_TARGETS.has(kind))
      throw intuneBadRequest(`Unsupported assignment target type '${String(t["@odata.type"])}'.`);
    if (
      (kind === "groupAssignmentTarget" || kind === "exclusionGroupAssignmentTarget") &&
      (typeof t.groupId !== "string" || t.groupId === "")
    ) {
      throw intuneBadRequest("GroupId is required for a group assignment target.");
    }
    const ft = t.deviceAndAppManagementAssignmentFilterType;
    if (ft !== undefined && ft !== null && !["none", "include", "exclude"].includes(String(ft))) {
      throw new GraphHttpError(
        400,
        "BadRequest",
        `The value '${String(ft)}' is not valid for deviceAndAppManagementAssignmentFilterType.`,
      );
    }
    return clone(a);
  });
}
