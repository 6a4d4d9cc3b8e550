// The emulator's tenant: collections of Graph objects in their read shape (navigation properties
// expanded, like a tenant snapshot), internal state that is not part of a snapshot (app content
// versions, per-device install states, pending eventual-consistency reads), persistence to a state
// file with atomic writes, and helpers that model "someone changed it in the portal".
import { mkdirSync, readFileSync, existsSync } from "node:fs";
import { dirname } from "node:path";
import writeFileAtomic from "write-file-atomic";
import { COLLECTIONS, isRecord, tenantSnapshotSchema, type TenantSnapshot } from "../model";
import { clone, graphTimestamp, newId, storedConfigurationPolicy, type Json } from "./shapes";

export type InstallState = "installed" | "failed" | "pending" | "notInstalled" | "notApplicable";

export interface DeviceInstallRecord {
  state: InstallState;
  deviceName?: string;
  userPrincipalName?: string;
  errorCode?: number;
  lastModifiedDateTime: string;
}

export interface ContentFile {
  id: string;
  name: string;
  size: number;
  sizeEncrypted: number;
  manifest: string | null;
  isDependency: boolean;
  isCommitted: boolean;
  uploadState: string;
  azureStorageUri: string | null;
  azureStorageUriExpirationDateTime: string | null;
  createdDateTime: string;
  /** committed block ids → byte length */
  blocks: Record<string, number>;
  /** bytes in the committed blob, once the block list was put */
  blobSize: number | null;
  /** Upload URLs currently honoured: SAS signature → expiry (epoch ms, wall clock). */
  sas?: Record<string, number>;
  /** GETs left before a pending state settles (`*Pending` delays). */
  pendingPolls?: number;
  /** The encryption info sent with the last commit (checked against the blob when it settles). */
  commitInfo?: Record<string, string>;
}

export interface ContentVersion {
  id: string;
  files: ContentFile[];
}

export interface InternalState {
  contentVersions: Record<string, ContentVersion[]>;
  installStates: Record<string, Record<string, DeviceInstallRecord>>;
  /** object id → reads by id that still 404 (eventual consistency) */
  invisibleReads: Record<string, number>;
  /** app id → reads left before a committed content version is published */
  publishing?: Record<string, number>;
}

/** Key in the state file holding what a snapshot does not: the file stays a valid tenant snapshot. */
export const INTERNAL_KEY = "@emulator.internal";

const ORDER: string[] = Object.values(COLLECTIONS);

export class EmulatorState {
  private readonly collections = new Map<string, Map<string, Json>>();
  private readonly extras: Json = {};
  internal: InternalState = { contentVersions: {}, installStates: {}, invisibleReads: {} };
  /**
   * Bytes of uploaded blocks and committed blobs, by content file id. Held in memory only (a state file
   * would not hold a package); after a restart from a state file, uploads start again.
   */
  readonly blobs = new Map<
    string,
    { staged: Map<string, Buffer>; committedBlocks: Map<string, Buffer>; committed: Buffer | null }
  >();

  constructor(
    seed: unknown,
    private readonly stateFile?: string,
  ) {
    let source: unknown = seed ?? {};
    if (stateFile && existsSync(stateFile)) {
      try {
        source = JSON.parse(readFileSync(stateFile, "utf8"));
      } catch (err) {
        throw new Error(
          `${stateFile}: state file is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
        );
      }
    }
    this.load(source, stateFile ?? "seed");
  }

  private load(source: unknown, origin: string): void {
    const parsed = tenantSnapshotSchema.safeParse(source);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `${origin}: invalid tenant snapshot at '${issue?.path.join(".") ?? ""}': ${issue?.message ?? "invalid"}`,
      );
    }
    // Store the input as given (not the zod output, which fills defaults): a real export must round-trip unchanged.
    const raw = source as Json;
    for (const path of ORDER) this.collections.set(path, new Map());
    for (const [key, value] of Object.entries(raw)) {
      if (key === INTERNAL_KEY) {
        if (isRecord(value)) this.internal = { ...this.internal, ...(clone(value) as Partial<InternalState>) };
        continue;
      }
      if (!Array.isArray(value)) {
        this.extras[key] = clone(value);
        continue;
      }
      const map = new Map<string, Json>();
      for (const item of value) {
        if (!isRecord(item)) continue;
        const obj = clone(item);
        if (typeof obj.id !== "string") obj.id = newId();
        map.set(obj.id as string, obj);
      }
      this.collections.set(key, map);
    }
  }

  private coll(path: string): Map<string, Json> {
    let m = this.collections.get(path);
    if (!m) {
      m = new Map();
      this.collections.set(path, m);
    }
    return m;
  }

  list(path: string): Json[] {
    return [...this.coll(path).values()];
  }

  get(path: string, id: string): Json | undefined {
    return this.coll(path).get(id);
  }

  /** Inserts or replaces (keeps the position of an existing object). */
  put(path: string, obj: Json): Json {
    this.coll(path).set(String(obj.id), obj);
    return obj;
  }

  remove(path: string, id: string): boolean {
    delete this.internal.invisibleReads[id];
    delete this.internal.contentVersions[id];
    delete this.internal.installStates[id];
    return this.coll(path).delete(id);
  }

  /** Every collection as Graph returns it, navigation properties expanded (docs/snapshot-format.md). */
  snapshot(): TenantSnapshot {
    const out: Json = {};
    const keys = [...ORDER, ...[...this.collections.keys()].filter((k) => !ORDER.includes(k))];
    for (const key of keys) out[key] = clone(this.list(key));
    for (const [k, v] of Object.entries(this.extras)) out[k] = clone(v);
    return out as TenantSnapshot;
  }

  /** Writes the state file atomically: a temp file in the same directory, then rename over the old one. */
  persist(): void {
    if (!this.stateFile) return;
    const doc = { ...(this.snapshot() as Json), [INTERNAL_KEY]: this.internal };
    mkdirSync(dirname(this.stateFile), { recursive: true });
    writeFileAtomic.sync(this.stateFile, `${JSON.stringify(doc, null, 2)}\n`);
  }

  // ---- eventual consistency -------------------------------------------------------------------------

  hideFromReads(id: string, reads: number): void {
    if (reads > 0) this.internal.invisibleReads[id] = reads;
  }

  /** True when this read by id must still 404; counts the read. */
  consumeInvisibleRead(id: string): boolean {
    const left = this.internal.invisibleReads[id];
    if (!left) return false;
    if (left <= 1) delete this.internal.invisibleReads[id];
    else this.internal.invisibleReads[id] = left - 1;
    return true;
  }

  // ---- portal-style mutations (tests model changes made outside the tool) --------------------------

  /** Changes a stored policy in place (read shape, settings and assignments included) as the portal would. */
  updateConfigurationPolicy(id: string, mutate: (policy: Json) => void): Json {
    const policy = this.get(COLLECTIONS.configurationPolicies, id);
    if (!policy) throw new Error(`no configuration policy '${id}'`);
    mutate(policy);
    if (Array.isArray(policy.settings)) policy.settingCount = policy.settings.length;
    policy.lastModifiedDateTime = graphTimestamp();
    this.persist();
    return policy;
  }

  /** Adds a settings-catalog policy (request or read shape) without validation: the portal can make anything. */
  addConfigurationPolicy(policy: Json): Json {
    const id = typeof policy.id === "string" ? policy.id : newId();
    const stored = storedConfigurationPolicy(id, clone(policy), {
      settings: policy.settings,
      templateReference: policy.templateReference,
      assignments: Array.isArray(policy.assignments) ? (policy.assignments as Json[]) : [],
    });
    this.put(COLLECTIONS.configurationPolicies, stored);
    this.persist();
    return stored;
  }

  /** Adds any object to a collection as given (an id is made if missing). */
  addObject(collection: string, obj: Json): Json {
    const stored = clone(obj);
    if (typeof stored.id !== "string") stored.id = newId();
    this.put(collection, stored);
    this.persist();
    return stored;
  }

  deleteObject(collection: string, id: string): boolean {
    const ok = this.remove(collection, id);
    this.persist();
    return ok;
  }

  /** Scripts what a device reports for an app; drives the Intune reports. */
  setAppInstallState(
    appId: string,
    deviceId: string,
    state: InstallState,
    details: { deviceName?: string; userPrincipalName?: string; errorCode?: number } = {},
  ): void {
    const perApp = (this.internal.installStates[appId] ??= {});
    perApp[deviceId] = { state, ...details, lastModifiedDateTime: graphTimestamp() };
    this.persist();
  }

  /** Column order of report tables: the observed one, or the shuffled-columns fault. */
  reportColumnOrder: "observed" | "shuffled" = "observed";

  setReportColumnOrder(order: "observed" | "shuffled"): void {
    this.reportColumnOrder = order;
  }

  /** Makes every upload URL of a content file (or of all files) expire now, as time passing would. */
  expireUploadUrls(fileId?: string): void {
    for (const versions of Object.values(this.internal.contentVersions)) {
      for (const v of versions) for (const f of v.files) if (fileId === undefined || f.id === fileId) f.sas = {};
    }
    this.persist();
  }

  installStates(appId: string): Array<{ deviceId: string } & DeviceInstallRecord> {
    return Object.entries(this.internal.installStates[appId] ?? {}).map(([deviceId, r]) => ({ deviceId, ...r }));
  }
}
