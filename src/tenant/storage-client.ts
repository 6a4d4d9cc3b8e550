// HTTP to the Azure Blob storage an Intune upload URL points at. Its own client, apart from the Graph
// client: the URL carries a SAS, and no Graph token (or any Authorization header) is ever sent there.
// Bodies are raw bytes (a Buffer), never strings: a string body re-encoded as UTF-8 is what made
// PowerShell 7.4 uploads fail with commitFileFailed (MSEndpointMgr/IntuneWin32App#128).
import { Agent } from "undici";

export interface StorageResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface StorageClient {
  request(
    method: "GET" | "PUT",
    url: string,
    body?: Buffer,
    headers?: Record<string, string>,
  ): Promise<StorageResponse>;
  close(): Promise<void>;
}

/** `ca`: an extra CA to trust (the emulator's), for the emulator only. */
export function createStorageClient(opts: { ca?: string; timeoutMs?: number } = {}): StorageClient {
  const agent = opts.ca ? new Agent({ connect: { ca: opts.ca } }) : undefined;
  const timeoutMs = opts.timeoutMs ?? 120_000;
  return {
    async request(method, url, body, headers = {}) {
      const init = {
        method,
        // fetch sets Content-Length from the Buffer itself.
        headers,
        body,
        signal: AbortSignal.timeout(timeoutMs),
        ...(agent ? { dispatcher: agent } : {}),
      };
      const res = await fetch(url, init as unknown as RequestInit);
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => (out[k] = v));
      return { status: res.status, headers: out, text: await res.text() };
    },
    close: async () => {
      await agent?.close();
    },
  };
}
