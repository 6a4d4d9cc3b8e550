// The local Graph emulator: a real HTTPS server on 127.0.0.1 that behaves like the Intune parts of
// Microsoft Graph (its README says what it models and where it is narrower). Tests, benchmarks,
// the `local` stack and `wslpolicy emulator` start it with `startEmulator`.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TenantSnapshot } from "../model";
import { ALL_ROLES, issueToken } from "./auth";
import { createTlsMaterial } from "./certificates";
import { FaultInjector } from "./faults";
import { RequestLog } from "./request-log";
import { Router, type ContentBehaviour, type EmulatorEnv } from "./router";
import { allRoutes } from "./routes";
import { blobHandler } from "./routes/blob-storage";
import { createRequestListener } from "./server";
import { EmulatorState } from "./state";
import { IDENTITY_LIMITS, Throttler } from "./throttling";

/** Tenant id of the demo tenant unless told otherwise. */
export const DEMO_TENANT_ID = "7d3f6c1e-2b4a-4e8f-9a61-5c0d8e2f4b17";

export interface EmulatorOptions {
  /** default 0 (random) */
  port?: number;
  /** default: an empty tenant */
  seed?: TenantSnapshot;
  /** persist state (atomic write) after every write; loaded at start if it exists (takes precedence over seed) */
  stateFile?: string;
  /** 1 = real time; 0.01 makes a 20 s throttling window last 200 ms */
  timeScale?: number;
  /**
   * Intune 429s carry Retry-After ("seconds", default), never ("absent"), or not always ("sometimes": every
   * third lacks it, as Intune is seen to do, almenscorner/IntuneCD#217).
   */
  throttling?: { enabled?: boolean; retryAfter?: "seconds" | "absent" | "sometimes" };
  /** Real milliseconds of network round trip per HTTP request (default 0); a `$batch` is one request. */
  roundTripMs?: number;
  tenantId?: string;
  /** a newly created object 404s on its next K GETs by id (default 0) */
  eventualConsistencyReads?: number;
  /** Win32 content upload: upload-URL lifetime (default 15 min, scaled), pending polls (0), publishing polls (1). */
  content?: Partial<ContentBehaviour>;
  /**
   * How an Intune PATCH answers: 204 without a body, as Intune is observed to (default;
   * microsoftgraph/microsoft-graph-docs-contrib#6570, #8701), or "entity": 200 with the entity, as the docs show.
   */
  patchAnswer?: "noContent" | "entity";
}

export interface RunningEmulator {
  /** `https://localhost:<port>/` */
  baseUrl: string;
  port: number;
  tenantId: string;
  caCertPem: string;
  caFile: string;
  issueToken(roles?: string[], claims?: { appId?: string }): string;
  /** Bearer token of the admin route `POST|DELETE|GET /_wslpolicy/faults` (faults for chaos tests). */
  adminToken: string;
  faults: FaultInjector;
  log: RequestLog;
  state: EmulatorState;
  stop(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const tenantId = options.tenantId ?? DEMO_TENANT_ID;
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error(`emulator: timeScale must be > 0 (got ${timeScale})`);
  const state = new EmulatorState(options.seed, options.stateFile);
  const env: EmulatorEnv = {
    state,
    faults: new FaultInjector(),
    log: new RequestLog(),
    throttler: new Throttler(timeScale, options.throttling?.enabled ?? true),
    identityThrottler: new Throttler(timeScale, options.throttling?.enabled ?? true, Date.now, IDENTITY_LIMITS),
    tenantId,
    timeScale,
    retryAfterMode: options.throttling?.retryAfter ?? "seconds",
    intuneThrottled: 0,
    roundTripMs: options.roundTripMs ?? 0,
    eventualConsistencyReads: options.eventualConsistencyReads ?? 0,
    patchAnswer: options.patchAnswer ?? "noContent",
    adminToken: randomBytes(24).toString("base64url"),
    content: { sasLifetimeMs: 15 * 60_000, pendingPolls: 0, publishingPolls: 1, ...options.content },
  };
  const tls = createTlsMaterial();
  const dir = mkdtempSync(join(tmpdir(), "wslpolicy-emulator-"));
  const caFile = join(dir, "ca.pem");
  writeFileSync(caFile, tls.caCertPem);

  let baseUrl = "";
  const router = new Router(allRoutes);
  const server: Server = createServer(
    { key: tls.keyPem, cert: tls.certPem },
    createRequestListener(env, router, blobHandler(env), () => baseUrl),
  );
  const sockets = new Set<Socket>();
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `https://localhost:${port}/`;

  return {
    baseUrl,
    port,
    tenantId,
    caCertPem: tls.caCertPem,
    caFile,
    issueToken: (roles = [...ALL_ROLES], claims = {}) => issueToken(tenantId, roles, claims),
    adminToken: env.adminToken,
    faults: env.faults,
    log: env.log,
    state,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
