// GraphError, the 403 → permission mapping and redaction: a missing permission is named, and no token
// or secret survives into a message meant for a log, an error or a file.
import { describe, expect, it } from "vitest";
import {
  GraphError,
  describeError,
  parseErrorBody,
  permissionFor,
  redact,
  registerSecret,
  routeOf,
} from "../../src/graph/errors";

const JWT =
  "eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.eyJyb2xlcyI6WyJEZXZpY2VNYW5hZ2VtZW50Q29uZmlndXJhdGlvbi5SZWFkLkFsbCJdfQ.";
const SIGNED_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz";

describe("permissionFor", () => {
  it.each([
    ["GET", "/beta/deviceManagement/configurationPolicies?$top=100", "DeviceManagementConfiguration.Read.All"],
    ["PUT", "deviceManagement/configurationPolicies/abc", "DeviceManagementConfiguration.ReadWrite.All"],
    [
      "POST",
      "https://graph.microsoft.com/beta/deviceManagement/configurationPolicies/abc/assign",
      "DeviceManagementConfiguration.ReadWrite.All",
    ],
    ["GET", "deviceManagement/deviceCompliancePolicies", "DeviceManagementConfiguration.Read.All"],
    ["GET", "/beta/deviceAppManagement/mobileApps", "DeviceManagementApps.Read.All"],
    ["PATCH", "deviceAppManagement/mobileApps/1", "DeviceManagementApps.ReadWrite.All"],
    ["POST", "deviceManagement/reports/getAppStatusOverviewReport", "DeviceManagementConfiguration.Read.All"],
    ["GET", "/v1.0/groups?$filter=displayName eq 'x'", "Group.Read.All"],
    ["POST", "groups", "Group.ReadWrite.All"],
  ])("%s %s needs %s", (method, path, permission) => {
    expect(permissionFor(method, path)).toBe(permission);
  });

  it("has no opinion on routes outside wslpolicy's scope", () => {
    expect(permissionFor("GET", "/v1.0/users")).toBeUndefined();
  });

  it("strips host, version and query to find the route", () => {
    expect(routeOf("https://localhost:4443/beta/deviceManagement/configurationPolicies('x')/settings?$top=5")).toBe(
      "deviceManagement/configurationPolicies('x')/settings",
    );
  });
});

describe("GraphError", () => {
  it("turns a 403 into a message naming the permission to grant", () => {
    const err = new GraphError({
      status: 403,
      code: "Forbidden",
      message: "Application is not authorized",
      method: "put",
      path: "/beta/deviceManagement/configurationPolicies/1",
      requestId: "r-1",
    });
    expect(err.permission).toBe("DeviceManagementConfiguration.ReadWrite.All");
    expect(err.message).toContain(
      "needs the Microsoft Graph application permission DeviceManagementConfiguration.ReadWrite.All",
    );
    expect(err.message).toContain("PUT deviceManagement/configurationPolicies/1");
    expect(err.message).toContain("request-id r-1");
  });

  it("classifies ambiguous failures (5xx, transport) apart from definite ones", () => {
    const base = { method: "POST", path: "deviceManagement/configurationPolicies", message: "x" };
    expect(new GraphError({ ...base, status: 504 }).ambiguous).toBe(true);
    expect(new GraphError({ ...base, status: 0, network: true }).ambiguous).toBe(true);
    expect(new GraphError({ ...base, status: 400 }).ambiguous).toBe(false);
    expect(new GraphError({ ...base, status: 404 }).notFound).toBe(true);
  });

  it("never carries a token that came back in a server message", () => {
    const err = new GraphError({ status: 401, message: `bad token Bearer ${JWT}`, method: "GET", path: "groups" });
    expect(err.message).not.toContain(JWT);
    expect(err.message).toContain("[REDACTED]");
  });
});

describe("parseErrorBody", () => {
  it("reads Graph's envelope with the request id", () => {
    const body = {
      error: {
        code: "TooManyRequests",
        message: "Please retry again later.",
        innerError: { "request-id": "94fb3b52", date: "2020-08-18T12:51:51" },
      },
    };
    expect(parseErrorBody(body)).toEqual({
      code: "TooManyRequests",
      message: "Please retry again later.",
      requestId: "94fb3b52",
    });
  });

  it("unwraps Intune's JSON-in-a-string message", () => {
    const message = JSON.stringify({
      _version: 3,
      Message: "An error has occurred - Operation ID (for customer support): 0000",
      CustomApiErrorPhrase: "",
      RetryAfter: null,
    });
    expect(parseErrorBody(JSON.stringify({ error: { code: "InternalServerError", message } })).message).toBe(
      "An error has occurred - Operation ID (for customer support): 0000",
    );
  });

  it("keeps non-JSON text short and readable", () => {
    expect(parseErrorBody("upstream connect error").message).toBe("upstream connect error");
    expect(parseErrorBody(undefined)).toEqual({});
  });
});

describe("redact", () => {
  it("removes Authorization header values in any common rendering", () => {
    expect(redact(`Authorization: Bearer ${SIGNED_JWT}`)).toBe("Authorization: [REDACTED]");
    expect(redact(`{"Authorization":"Bearer abc.def-ghi"}`)).not.toContain("abc.def-ghi");
    expect(redact("authorization=Basic dXNlcjpwYXNz")).not.toContain("dXNlcjpwYXNz");
  });

  it("removes JWT-looking strings anywhere, signed or unsigned", () => {
    const out = redact(`token ${JWT} and ${SIGNED_JWT} end`);
    expect(out).toBe("token [REDACTED] and [REDACTED] end");
  });

  it("removes client secrets and other secret-named fields", () => {
    expect(redact("client_secret=Zx8Q~abc.DEF_ghi&grant_type=client_credentials")).toBe(
      "client_secret=[REDACTED]&grant_type=client_credentials",
    );
    expect(redact(`{"access_token": "opaque-value-123"}`)).not.toContain("opaque-value-123");
    expect(redact("AZURE_CLIENT_SECRET=s3cr3t-value")).not.toContain("s3cr3t-value");
  });

  it("removes a registered secret wherever it appears, even without a telltale key", () => {
    registerSecret("Qm9vb-very-secret-client-value");
    expect(describeError(new Error("login failed for Qm9vb-very-secret-client-value at tenant x"))).toBe(
      "login failed for [REDACTED] at tenant x",
    );
  });

  it("removes a bare scheme-and-credential pair, but not prose that starts with the scheme's word", () => {
    expect(redact("sent Bearer 0pAqUe.t0ken-value_1234 upstream")).toBe("sent Bearer [REDACTED] upstream");
    expect(redact("Basic dXNlcjpwYXNzd29yZDEyMzQ=")).toBe("Basic [REDACTED]");
    const prose = "Basic WSL lock-down for developers; Bearer tokens are refused";
    expect(redact(prose)).toBe(prose);
  });

  it("leaves ordinary Graph text alone", () => {
    const text =
      "GET deviceManagement/configurationPolicies failed with 404 ResourceNotFound: passwordRequired is unknown";
    expect(redact(text)).toBe(text);
  });
});
