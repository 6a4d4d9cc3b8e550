// A fake Azure Blob endpoint on the emulator's own server, where `azureStorageUri` points. It is not
// Graph: a SAS instead of a bearer token, XML errors. Behaviour from the Azure Storage REST reference:
//   Put Block (https://learn.microsoft.com/rest/api/storageservices/put-block): `comp=block&blockid=…`,
//     the id base64 of at most 64 bytes, every id of one blob of the same length (else 400);
//   Put Block List (…/put-block-list): the blob becomes the listed blocks in order; an unknown id is 400
//     InvalidBlockList; blocks left out are discarded;
//   Get Block List (…/get-block-list): what is staged and committed, so an interrupted upload can resume.
// An upload URL is honoured until it expires (403 AuthenticationFailed, as after Intune's SAS lifetime:
// microsoftgraph/powershell-intune-samples#64) or is replaced by `renewUpload` — the old one keeps working
// until its own expiry. Scripted faults (429, 500, 503, reset, latency) apply to `blob/…` paths too.
// On purpose narrower than Azure: a request that carries an Authorization header is refused, because an
// Intune upload URL is a SAS and a Graph token must never be sent to storage.
import type { EmulatorResponse } from "../http-types";
import type { EmulatorEnv } from "../router";
import type { ContentFile } from "../state";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

function xmlError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): EmulatorResponse {
  return {
    status,
    headers: { "Content-Type": "application/xml", "x-ms-error-code": code, ...headers },
    raw: Buffer.from(
      `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
    ),
  };
}

const AUTH_FAILED = () =>
  xmlError(
    403,
    "AuthenticationFailed",
    "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
  );

function findFile(env: EmulatorEnv, fileId: string): ContentFile | undefined {
  for (const versions of Object.values(env.state.internal.contentVersions)) {
    for (const v of versions) {
      const f = v.files.find((x) => x.id === fileId);
      if (f) return f;
    }
  }
  return undefined;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function blockListXml(committed: Array<[string, number]>, uncommitted: Array<[string, number]>): Buffer {
  const blocks = (list: Array<[string, number]>) =>
    list.map(([id, size]) => `<Block><Name>${id}</Name><Size>${size}</Size></Block>`).join("");
  return Buffer.from(
    `<?xml version="1.0" encoding="utf-8"?><BlockList><CommittedBlocks>${blocks(committed)}</CommittedBlocks><UncommittedBlocks>${blocks(uncommitted)}</UncommittedBlocks></BlockList>`,
  );
}

export function blobHandler(env: EmulatorEnv) {
  return async (
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<EmulatorResponse> => {
    for (const rule of env.faults.take({ method, path })) {
      if (rule.kind === "latency") await sleep(rule.latencyMs ?? 1000);
      if (rule.kind === "reset") return { status: 0, headers: {}, reset: true };
      if (rule.kind === "429" || rule.kind === "503" || rule.kind === "500") {
        const retry: Record<string, string> =
          typeof rule.retryAfter === "number" ? { "Retry-After": String(rule.retryAfter) } : {};
        const status = Number(rule.kind);
        return xmlError(
          status,
          status === 500 ? "InternalError" : "ServerBusy",
          status === 500
            ? "The server encountered an internal error."
            : "The server is currently unable to receive requests. Please retry your request.",
          retry,
        );
      }
    }
    if (headers.authorization)
      return xmlError(
        403,
        "AuthenticationFailed",
        "This emulator refuses an Authorization header on a SAS upload URL: a Graph token must not be sent to storage.",
      );
    const m = /^blob\/intune-content\/([0-9a-f-]{36})\.intunewin\.bin$/.exec(path);
    const f = m ? findFile(env, m[1]!) : undefined;
    if (!f) return xmlError(404, "ResourceNotFound", "The specified resource does not exist.");
    const sig = query.get("sig") ?? "";
    const expires = f.sas?.[sig];
    if (expires === undefined || Date.now() >= expires) return AUTH_FAILED();
    const data = env.state.blobs.get(f.id) ?? {
      staged: new Map<string, Buffer>(),
      committedBlocks: new Map<string, Buffer>(),
      committed: null,
    };
    env.state.blobs.set(f.id, data);
    const comp = query.get("comp");
    const created = (): EmulatorResponse => ({ status: 201, headers: { "x-ms-request-server-encrypted": "true" } });
    const sizes = (m: Map<string, Buffer>) => [...m].map(([id, b]): [string, number] => [id, b.length]);

    if (method === "GET" && comp === "blocklist") {
      const type = query.get("blocklisttype") ?? "committed";
      return {
        status: 200,
        headers: { "Content-Type": "application/xml" },
        raw: blockListXml(
          type === "uncommitted" ? [] : sizes(data.committedBlocks),
          type === "committed" ? [] : sizes(data.staged),
        ),
      };
    }
    if (method !== "PUT")
      return xmlError(405, "UnsupportedHttpVerb", "The resource doesn't support the specified HTTP verb.");

    if (comp === "block") {
      const blockId = query.get("blockid") ?? "";
      if (!BASE64.test(blockId) || Buffer.from(blockId, "base64").length > 64) {
        return xmlError(
          400,
          "InvalidQueryParameterValue",
          "Value for one of the query parameters specified in the request URI is invalid.",
        );
      }
      const other = [...data.staged.keys(), ...data.committedBlocks.keys()].find((id) => id.length !== blockId.length);
      if (other !== undefined)
        return xmlError(400, "InvalidBlobOrBlock", "The specified blob or block content is invalid.");
      data.staged.set(blockId, Buffer.from(body));
      return created();
    }
    if (comp === "blocklist") {
      const listed = [...body.toString("utf8").matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\//g)].map((x) => ({
        kind: x[1]!,
        id: x[2]!,
      }));
      const parts = listed.map(({ kind, id }) =>
        kind === "Committed"
          ? data.committedBlocks.get(id)
          : kind === "Uncommitted"
            ? data.staged.get(id)
            : (data.staged.get(id) ?? data.committedBlocks.get(id)),
      );
      if (listed.length === 0 || parts.some((p) => p === undefined))
        return xmlError(400, "InvalidBlockList", "The specified block list is invalid.");
      data.committedBlocks = new Map(listed.map(({ id }, i) => [id, parts[i]!]));
      data.staged.clear();
      data.committed = Buffer.concat(parts as Buffer[]);
      f.blocks = Object.fromEntries(sizes(data.committedBlocks));
      f.blobSize = data.committed.length;
      env.state.persist();
      return created();
    }
    // a single-shot Put Blob
    data.committed = Buffer.from(body);
    data.staged.clear();
    data.committedBlocks.clear();
    f.blocks = {};
    f.blobSize = body.length;
    env.state.persist();
    return created();
  };
}
