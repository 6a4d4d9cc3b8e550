// Intune's throttling budgets, one per Intune service, as "Microsoft Graph service-specific throttling
// limits" lists them (https://learn.microsoft.com/graph/throttling-limits#intune-service-limits): every
// service listed there (device config v2, device configuration, applications, …) allows per app per
// tenant 1,000 requests and 100 writes (POST, PUT, DELETE, PATCH) per 20 seconds, and per tenant for all
// apps 2,000 / 200. The emulator enforces these; the Graph client spends them (src/graph/budget.ts).

export interface ThrottleLimits {
  windowMs: number;
  appRequests: number;
  appWrites: number;
  tenantRequests: number;
  tenantWrites: number;
  /** Windows of the limits that have their own (Entra's identity limits do); the others use `windowMs`. */
  windowsMs?: Partial<Record<ThrottleLimitName, number>>;
}

export type ThrottleLimitName = "appRequests" | "appWrites" | "tenantRequests" | "tenantWrites";

export const INTUNE_SERVICE_LIMITS: ThrottleLimits = {
  windowMs: 20_000,
  appRequests: 1000,
  appWrites: 100,
  tenantRequests: 2000,
  tenantWrites: 200,
};

/**
 * The Intune services wslpolicy talks to. The docs name the resources of each service
 * (microsoftgraph/microsoft-graph-docs-contrib includes/throttling-intune-device-config-v2.md: policies,
 * their settings and assignments, templates, setting definitions; -device-configuration.md: compliance
 * policies and device configurations; -applications.md: mobile apps, their assignments and content).
 * Scripts and everything else under deviceManagement are not named in those lists: they get a budget of
 * their own ("other") with the same documented numbers, so they never eat a listed service's budget.
 */
export type IntuneService = "deviceConfigV2" | "deviceConfiguration" | "applications" | "other";

const V2 =
  /^deviceManagement\/(configurationPolicies|configurationPolicyTemplates|configurationSettings|configurationCategories|reusablePolicySettings)(\/|$)/i;
const DEVICE_CONFIGURATION = /^deviceManagement\/(deviceCompliancePolicies|deviceConfigurations)(\/|$)/i;
const APPLICATIONS = /^deviceAppManagement\/(mobileApps|mobileAppCategories)(\/|$)/i;

/**
 * The Intune service a request path (no version segment, no query; OData keys as segments or in
 * parentheses) belongs to, or undefined when it is not an Intune path (groups are Entra's).
 */
export function intuneServiceOf(path: string): IntuneService | undefined {
  const p = path.replace(/^\/+/, "").replace(/\(['"]?([^)'"]*)['"]?\)/g, "/$1");
  if (!/^(deviceManagement|deviceAppManagement)(\/|$)/i.test(p)) return undefined;
  if (V2.test(p)) return "deviceConfigV2";
  if (DEVICE_CONFIGURATION.test(p)) return "deviceConfiguration";
  if (APPLICATIONS.test(p)) return "applications";
  return "other";
}
