// A fake Azure Blob endpoint on the emulator's own server, where `azureStorageUri` points: block PUTs
// (`comp=block&blockid=…`) and the block-list PUT (`comp=blocklist`) of the Win32 content upload (api-reference/beta/resources/intune-apps-mobileappcontentfile.md). It is not
// Graph: no bearer token, a SAS `sig` instead, XML errors.
import type { EmulatorResponse } from "../http-types";
import type { EmulatorEnv } from "../router";
import type { ContentFile } from "../state";

function xmlError(status: number, code: string, message: string): EmulatorResponse {
  return {
    status,
    headers: { "Content-Type": "application/xml", "x-ms-error-code": code },
    raw: Buffer.from(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`),
  };
}

function findFile(env: EmulatorEnv, fileId: string): ContentFile | undefined {
  for (const versions of Object.values(env.state.internal.contentVersions)) {
    for (const v of versions) {
      const f = v.files.find((x) => x.id === fileId);
      if (f) return f;
    }
  }
  return undefined;
}

export function blobHandler(env: EmulatorEnv) {
  return (method: string, path: string, query: URLSearchParams, _headers: Record<string, string>, body: Buffer): EmulatorResponse => {
    if (!query.get("sig")) return xmlError(403, "AuthenticationFailed", "Server failed to authenticate the request.");
    const m = /^blob\/intune-content\/([0-9a-f-]{36})\.intunewin\.bin$/.exec(path);
    const f = m ? findFile(env, m[1]!) : undefined;
    if (!f) return xmlError(404, "ResourceNotFound", "The specified resource does not exist.");
    if (method !== "PUT") return xmlError(405, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.");
    const comp = query.get("comp");
    const ok = (): EmulatorResponse => ({ status: 201, headers: { "x-ms-request-server-encrypted": "true" } });
    if (comp === "block") {
      const blockId = query.get("blockid");
      if (!blockId) return xmlError(400, "InvalidQueryParameterValue", "Value for one of the query parameters specified in the request URI is invalid.");
      f.blocks[blockId] = body.length;
      env.state.persist();
      return ok();
    }
    if (comp === "blocklist") {
      const ids = [...body.toString("utf8").matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)<\//g)].map((x) => x[1]!);
      if (ids.some((id) => f.blocks[id] === undefined)) return xmlError(400, "InvalidBlockList", "The specified block list is invalid.");
      f.blobSize = ids.reduce((n, id) => n + (f.blocks[id] ?? 0), 0);
      env.state.persist();
      return ok();
    }
    // a single-shot Put Blob
    f.blobSize = body.length;
    env.state.persist();
    return ok();
  };
}
