// Fake bearer tokens and the permission matrix. Tokens are unsigned JWTs carrying application `roles`
// (https://learn.microsoft.com/graph/auth/auth-concepts); the emulator only decodes them. Missing or malformed tokens get Graph's
// 401 `InvalidAuthenticationToken`; a missing role gets the 403 each service gives (https://learn.microsoft.com/graph/permissions-reference).
import { GraphHttpError, IntuneError } from "./errors";
import type { Identity } from "./http-types";

export const ALL_ROLES = [
  "DeviceManagementConfiguration.ReadWrite.All",
  "DeviceManagementApps.ReadWrite.All",
  "Group.ReadWrite.All",
] as const;

/** The app id tokens carry unless told otherwise (throttling budgets are per app). */
export const DEFAULT_APP_ID = "0d6f4a1e-9c43-4a5e-8f0b-3b7c2f1e6a10";

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function issueToken(
  tenantId: string,
  roles: readonly string[] = ALL_ROLES,
  claims: { appId?: string } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    aud: "https://graph.microsoft.com",
    iss: `https://sts.windows.net/${tenantId}/`,
    iat: now,
    nbf: now,
    exp: now + 24 * 3600,
    appid: claims.appId ?? DEFAULT_APP_ID,
    idtyp: "app",
    tid: tenantId,
    roles: [...roles],
  };
  return `${b64url({ typ: "JWT", alg: "none" })}.${b64url(payload)}.`;
}

const invalidToken = (message: string) =>
  new GraphHttpError(401, "InvalidAuthenticationToken", message, {
    "WWW-Authenticate":
      'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
  });

/** Decodes the bearer token of a request into the calling app's identity, or throws Graph's 401. */
export function authenticate(authorization: string | undefined): Identity {
  if (!authorization || !/^Bearer\s+\S/i.test(authorization)) throw invalidToken("Access token is empty.");
  const token = authorization.replace(/^Bearer\s+/i, "").trim();
  const parts = token.split(".");
  if (parts.length !== 3) throw invalidToken("IDX14100: JWT is not well formed, there are no dots (.).");
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(parts[1] ?? "", "base64url").toString("utf8"));
  } catch {
    throw invalidToken("Invalid JWT token. The token is malformed.");
  }
  if (typeof payload !== "object" || payload === null) throw invalidToken("Invalid JWT token. The token is malformed.");
  const claims = payload as Record<string, unknown>;
  if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) {
    throw invalidToken("Lifetime validation failed, the token is expired.");
  }
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  const appId =
    typeof claims.appid === "string" ? claims.appid : typeof claims.azp === "string" ? claims.azp : "unknown-app";
  return { appId, roles: new Set(roles) };
}

/** Which permission family guards a route. */
export type PermissionArea = "configuration" | "apps" | "groups" | "reports";

/** Roles that satisfy a read or a write in an area, least privileged first (the order Graph lists them). */
export function acceptedRoles(area: PermissionArea, write: boolean): string[] {
  switch (area) {
    case "configuration":
      return write
        ? ["DeviceManagementConfiguration.ReadWrite.All"]
        : ["DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All"];
    case "apps":
      return write
        ? ["DeviceManagementApps.ReadWrite.All"]
        : ["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"];
    case "groups":
      return write
        ? ["Group.ReadWrite.All", "Directory.ReadWrite.All"]
        : ["Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"];
    case "reports":
      // Intune reporting actions accept any of these
      // (api-reference/beta/api/intune-reporting-devicemanagementreports-getdevicestatusbyapp.md).
      return [
        "DeviceManagementApps.Read.All",
        "DeviceManagementApps.ReadWrite.All",
        "DeviceManagementConfiguration.Read.All",
        "DeviceManagementConfiguration.ReadWrite.All",
        "DeviceManagementManagedDevices.Read.All",
        "DeviceManagementManagedDevices.ReadWrite.All",
      ];
  }
}

/**
 * Throws the 403 the service gives when none of the accepted roles is in the token. Intune names the
 * scopes ("Application must have one of the following scopes: …"); Entra (groups) answers
 * `Authorization_RequestDenied` "Insufficient privileges to complete the operation." without naming one.
 */
export function authorize(identity: Identity, area: PermissionArea, write: boolean): void {
  const accepted = acceptedRoles(area, write);
  if (accepted.some((r) => identity.roles.has(r))) return;
  if (area === "groups") {
    throw new GraphHttpError(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
  }
  throw new IntuneError(
    403,
    "Forbidden",
    `Application is not authorized to perform this operation. Application must have one of the following scopes: ${accepted.join(", ")}`,
  );
}
