// Graph's error envelope and the errors route handlers throw. The envelope is
// {error:{code,message,innerError:{date,request-id,client-request-id}}} served as application/json
// (https://learn.microsoft.com/graph/errors); Intune routes wrap their message in Intune's `_version: 3` JSON string.

/** Thrown by handlers; the pipeline turns it into Graph's error response. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Fixed, recognisable placeholder: real Intune messages carry an operation id for support. */
const OPERATION_ID = "00000000-0000-0000-0000-000000000000";

/**
 * Intune services put a JSON document in `error.message` (as Intune's error responses quoted in public issues show,
 * e.g. ThomasKur/IntuneDocumentation#39): `{"_version":3,"Message":"<text> - Operation ID (for customer support): … -
 * Activity ID: … - Url: …", …}`.
 */
export function intuneMessage(text: string, activityId: string, url: string): string {
  const doc = {
    _version: 3,
    Message: `${text} - Operation ID (for customer support): ${OPERATION_ID} - Activity ID: ${activityId} - Url: ${url}`,
    CustomApiErrorPhrase: "",
    RetryAfter: null,
    ErrorSourceService: "",
    HttpHeaders: "{}",
  };
  return JSON.stringify(doc, null, 2).replace(/\n/g, "\r\n");
}

/** An Intune-service error whose message is wrapped in the `_version: 3` envelope by the pipeline. */
export class IntuneError extends GraphHttpError {
  readonly intune = true;
}

export const badRequest = (message: string) => new GraphHttpError(400, "BadRequest", message);
export const intuneBadRequest = (message: string) => new IntuneError(400, "BadRequest", message);
export const intuneNotFound = (what = "The requested resource does not exist.") =>
  new IntuneError(404, "ResourceNotFound", what);
export const segmentNotFound = (segment: string) =>
  new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${segment}'.`);
export const abstractClass = () =>
  new GraphHttpError(400, "ModelValidationFailure", "Cannot create an abstract class.");
/** An `@odata.type` the service's model does not know. */
export const unresolvedType = (type: string) =>
  new GraphHttpError(
    400,
    "ModelValidationFailure",
    `A type named '${type.replace(/^#/, "")}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.`,
  );

export interface ErrorContext {
  requestId: string;
  clientRequestId?: string;
  date: Date;
}

export function errorBody(
  code: string,
  message: string,
  ctx: ErrorContext,
  extraInner: Record<string, unknown> = {},
): Record<string, unknown> {
  const innerError: Record<string, unknown> = {
    date: ctx.date.toISOString().replace(/\.\d{3}Z$/, ""),
    "request-id": ctx.requestId,
    "client-request-id": ctx.clientRequestId ?? ctx.requestId,
    ...extraInner,
  };
  return { error: { code, message, innerError } };
}
