// Every route the emulator serves, in one table.
import type { Route } from "../router";
import { catalogRoutes } from "./catalog-routes";
import { compliancePolicyRoutes } from "./compliance-policies";
import { configurationPolicyRoutes } from "./configuration-policies";
import { groupRoutes } from "./groups";
import { mobileAppRoutes } from "./mobile-apps";
import { reportRoutes } from "./reports";

export const allRoutes: Route[] = [...configurationPolicyRoutes, ...compliancePolicyRoutes, ...mobileAppRoutes, ...reportRoutes, ...groupRoutes, ...catalogRoutes];
