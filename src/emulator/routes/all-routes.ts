// Every route the emulator serves, in one table.
import { OBJECT_KINDS, type ObjectKind } from "../../kinds";
import type { Route } from "../router";
import { appContentRoutes } from "./app-content";
import { catalogRoutes } from "./catalog-routes";
import { compliancePolicyRoutes } from "./compliance-policies";
import { configurationPolicyRoutes } from "./configuration-policies";
import { groupRoutes } from "./groups";
import { deviceHealthScriptRoutes, deviceManagementScriptRoutes } from "./intune-scripts";
import { mobileAppRoutes } from "./mobile-apps";
import { reportRoutes } from "./reports";
import { scriptRunStateRoutes } from "./script-run-states";

/** The routes of each managed kind's collection: a new kind without a route file fails to compile here. */
const KIND_ROUTES: Record<ObjectKind, Route[]> = {
  configurationPolicy: configurationPolicyRoutes,
  compliancePolicy: compliancePolicyRoutes,
  mobileApp: [...mobileAppRoutes, ...appContentRoutes],
  deviceManagementScript: deviceManagementScriptRoutes,
  deviceHealthScript: deviceHealthScriptRoutes,
};

export const allRoutes: Route[] = [
  ...OBJECT_KINDS.flatMap((kind) => KIND_ROUTES[kind]),
  ...scriptRunStateRoutes,
  ...reportRoutes,
  ...groupRoutes,
  ...catalogRoutes,
];
