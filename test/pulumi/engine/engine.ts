// A STAND-IN for the Pulumi engine, for tests: there is no Pulumi CLI here. It serves the two gRPC services
// a Node program talks to (ResourceMonitor and Engine, from the protos that ship in @pulumi/pulumi), starts
// the program the way the CLI's Node language host does, and turns each registration into provider calls
// the way the engine's step generator does (pulumi/pulumi pkg/resource/deploy/step_generator.go):
//   - the program: `node <runtime.options.nodeargs> <@pulumi/pulumi/cmd/run resolved from the program's
//     directory> --monitor … --engine … --organization … --project … --stack … --pwd <pwd> [--dry-run]
//     --parallel … <entry point>`, working directory and entry point from Pulumi.yaml as `getPwdMain` does
//     (project.ts), the stack's config in `PULUMI_CONFIG` (pulumi-language-nodejs main.go);
//   - dynamic resources go to the REAL dynamic-provider host of @pulumi/pulumi, started in the program's
//     directory like every plugin: Check (olds = the old inputs) → Diff (olds = the old outputs) →
//     Create/Update, or a replace (delete first when the provider or the resource asks for it); during a
//     preview (`--dry-run`) Check and Diff see Pulumi's unknown values and nothing is created or updated;
//   - `azuread` resources and invokes go to azuread-standin.ts (the azuread plugin cannot run offline);
//   - after the program: resources it no longer registers are deleted (up) or shown as deletes (preview);
//     refresh calls Read for every resource (an empty id drops it); destroy deletes everything in reverse
//     dependency order. State is a JSON file written after every step, like the engine's checkpoints.
// Simplifications, each irrelevant to a wslpolicy stack: one stack component, no component resources, no
// `protect`/`import`, `ignoreChanges` on top-level properties only, dependents of a replaced resource are updated
// rather than replaced, and the monitor asks the SDK for plain values (no secrets, resource references or output
// values), which is also what a dynamic provider receives from the real engine (its host answers `acceptSecrets:
// false`).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as engineproto from "@pulumi/pulumi/proto/engine_pb";
import * as enginerpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as resproto from "@pulumi/pulumi/proto/resource_pb";
import * as resrpc from "@pulumi/pulumi/proto/resource_grpc_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import type { GraphClient } from "../../../src/graph";
import { startProviderHost, type ProviderHost } from "../harness/provider-host";
import { AzureadStandIn, GET_GROUP, GROUP_TYPE } from "./azuread-standin";
import { stackConfigEnv, type ProgramLaunch } from "./project";

const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");

/** `UnknownValue` of @pulumi/pulumi/runtime/rpc (and of the engine's plugin layer). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic/";
const STACK_TYPE = "pulumi:pulumi:Stack";

type Props = Record<string, unknown>;

export interface StateResource {
  urn: string;
  type: string;
  custom: boolean;
  id: string;
  inputs: Props;
  outputs: Props;
  dependencies: string[];
  /** `<provider urn>::<id>` for resources that name an explicit provider. */
  provider?: string;
  deleteBeforeReplace?: boolean;
  /** The original of a create-before-delete replacement, deleted after the program. */
  pendingDelete?: boolean;
}

export interface Step {
  op: "create" | "update" | "replace" | "delete" | "same" | "refresh" | "refresh-delete";
  urn: string;
}

export interface RunResult {
  ok: boolean;
  steps: Step[];
  /** Engine log lines the program wrote (errors included) and the program's stderr. */
  log: string[];
  outputs: Props;
  /** Why the run failed: the program's exit, a failed step, an invalid resource. */
  error?: string;
}

export interface EngineOptions {
  launch: ProgramLaunch;
  stack: string;
  /** Environment of the program and of the provider host (credentials reach providers only this way). */
  env: NodeJS.ProcessEnv;
  /** `pulumi config set` on top of the stack file. */
  config?: Record<string, string>;
  /** Where the state lives between runs (the stand-in's backend). */
  statePath: string;
  /** Graph client the azuread stand-in uses (the emulator's /groups). */
  graph: GraphClient;
}

export function readState(statePath: string): StateResource[] {
  return existsSync(statePath)
    ? (JSON.parse(readFileSync(statePath, "utf8")) as { resources: StateResource[] }).resources
    : [];
}

function writeState(statePath: string, resources: StateResource[]): void {
  mkdirSync(path.dirname(statePath), { recursive: true });
  writeFileSync(statePath, `${JSON.stringify({ resources }, null, 2)}\n`);
}

const struct = (value: Props) => Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
const plain = (value: Struct | undefined): Props => (value ? (value.toJavaScript() as Props) : {});
const nameOf = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);
const typeOf = (urn: string) => {
  const parts = urn.split("::");
  const qualified = parts[parts.length - 2] ?? "";
  return qualified.slice(qualified.lastIndexOf("$") + 1);
};

class StepError extends Error {}

/** Reverse dependency order: a resource goes only after everything that depends on it. */
export function deletionOrder(resources: readonly StateResource[]): StateResource[] {
  const remaining = [...resources];
  const out: StateResource[] = [];
  const dependsOn = (r: StateResource, target: StateResource) =>
    r.dependencies.includes(target.urn) || (r.provider?.startsWith(`${target.urn}::`) ?? false);
  while (remaining.length > 0) {
    const index = remaining.findIndex(
      (candidate) => !remaining.some((other) => other !== candidate && dependsOn(other, candidate)),
    );
    if (index < 0) throw new Error(`dependency cycle among ${remaining.map((r) => r.urn).join(", ")}`);
    out.push(remaining.splice(index, 1)[0]!);
  }
  return out;
}

/** One `pulumi preview|up|refresh|destroy` against the state file. */
class Deployment {
  private readonly state: StateResource[];
  private readonly registered = new Set<string>();
  private readonly pendingDeletes: StateResource[] = [];
  readonly steps: Step[] = [];
  readonly log: string[] = [];
  outputs: Props = {};
  private rootUrn = "";
  private server: import("@grpc/grpc-js").Server | undefined;
  /** Stops the running program (set while it runs). */
  cancel: (() => void) | undefined;
  private host: Promise<ProviderHost> | undefined;
  private readonly azuread: AzureadStandIn;
  failure: string | undefined;

  constructor(
    private readonly options: EngineOptions,
    private readonly dryRun: boolean,
  ) {
    this.state = readState(options.statePath);
    this.azuread = new AzureadStandIn(options.graph);
  }

  private save(): void {
    if (!this.dryRun) writeState(this.options.statePath, this.state);
  }

  private providerHost(): Promise<ProviderHost> {
    this.host ??= startProviderHost({ cwd: this.options.launch.pwd, env: this.options.env }).then(async (host) => {
      await host.configure({});
      return host;
    });
    return this.host;
  }

  async close(): Promise<void> {
    if (this.host) await (await this.host).stop();
  }

  private urnOf(type: string, name: string, parent: string): string {
    const { project } = this.options.launch;
    const prefix = `urn:pulumi:${this.options.stack}::${project}::`;
    // The stack's own type is not part of its children's qualified type.
    const parentType = parent && parent !== this.rootUrn ? `${parent.split("::")[2]}$` : "";
    return `${prefix}${parentType}${type}::${name}`;
  }

  private find(urn: string, aliases: readonly string[]): StateResource | undefined {
    const hit = this.state.find((r) => r.urn === urn && !r.pendingDelete);
    if (hit) return hit;
    const aliased = this.state.find((r) => aliases.includes(r.urn) && !r.pendingDelete);
    if (aliased) aliased.urn = urn; // an alias: the same resource under its new name
    return aliased;
  }

  // ---- the monitor ---------------------------------------------------------------------------------

  async register(req: resproto.RegisterResourceRequest): Promise<{ urn: string; id: string; outputs: Props }> {
    const type = req.getType();
    const urn = this.urnOf(type, req.getName(), req.getParent());
    const requested = plain(req.getObject());
    if (!req.getCustom()) {
      this.registered.add(urn);
      if (type === STACK_TYPE) this.rootUrn = urn;
      return { urn, id: "", outputs: {} };
    }
    const aliases = [
      ...req.getAliasurnsList(),
      ...req
        .getAliasesList()
        .flatMap((a) => (a.getSpec()?.getName() ? [this.urnOf(type, a.getSpec()!.getName(), req.getParent())] : [])),
    ];
    const old = this.find(urn, aliases);
    this.registered.add(urn);
    // `ignoreChanges` (top-level paths): the old input value stands in for the new one, before Check.
    const inputs = { ...requested };
    for (const key of old ? req.getIgnorechangesList() : []) {
      if (key in old!.inputs) inputs[key] = old!.inputs[key];
      else delete inputs[key];
    }
    const resource: StateResource = {
      urn,
      type,
      custom: true,
      id: "",
      inputs: {},
      outputs: {},
      dependencies: req.getDependenciesList(),
      ...(req.getProvider() ? { provider: req.getProvider() } : {}),
      ...(req.getDeletebeforereplace() ? { deleteBeforeReplace: true } : {}),
    };
    try {
      if (type.startsWith("pulumi:providers:")) return this.registerProvider(resource, inputs, old);
      return await this.registerCustom(resource, inputs, old);
    } catch (err) {
      this.failure ??= (err as Error).message;
      // The engine cancels the deployment once a step fails: the monitor goes away and the program is
      // stopped, rather than left to idle on its dead channels (observed: a minute before Node exits).
      setTimeout(() => {
        this.server?.forceShutdown();
        this.cancel?.();
      }, 500);
      throw err;
    }
  }

  private registerProvider(resource: StateResource, inputs: Props, old: StateResource | undefined) {
    // The engine's provider registry makes a new provider's id in a preview unknown (deploy/providers/registry.go).
    const id = old?.id ?? (this.dryRun ? UNKNOWN : randomUUID());
    const changed = old !== undefined && JSON.stringify(old.inputs) !== JSON.stringify(inputs);
    this.record(old ? (changed ? "update" : "same") : "create", resource.urn);
    this.commit(old, { ...resource, id, inputs, outputs: inputs });
    return { urn: resource.urn, id, outputs: inputs };
  }

  private deleteLater(old: StateResource): void {
    old.pendingDelete = true;
    this.pendingDeletes.push(old);
    this.save();
  }

  private record(op: Step["op"], urn: string): void {
    this.steps.push({ op, urn });
  }

  /** Replaces or adds the resource in state (not during a preview). */
  private commit(old: StateResource | undefined, next: StateResource): void {
    if (this.dryRun) return;
    const index = old ? this.state.indexOf(old) : -1;
    if (index >= 0) this.state[index] = next;
    else this.state.push(next);
    this.save();
  }

  /** The provider a resource type goes to: the real dynamic-provider host, or the azuread stand-in. */
  private async providerFor(type: string): Promise<StepProvider> {
    if (type.startsWith(DYNAMIC_PREFIX)) return dynamicProvider(await this.providerHost());
    if (type === GROUP_TYPE) return groupProvider(this.azuread);
    throw new StepError(`the engine stand-in has no provider for type '${type}'`);
  }

  /** The step generator for one custom resource: Check, then Diff against state, then the step it calls for. */
  private async registerCustom(resource: StateResource, news: Props, old: StateResource | undefined) {
    const provider = await this.providerFor(resource.type);
    const checked = await provider.check(resource.urn, old?.inputs ?? {}, news);
    if (checked.failures.length > 0) throw new StepError(`${resource.urn} is invalid: ${checked.failures.join("; ")}`);
    const inputs = checked.inputs;
    const created = async () => {
      try {
        const made = await provider.create(resource.urn, inputs);
        this.commit(undefined, { ...resource, id: made.id, inputs, outputs: made.outputs });
        return { urn: resource.urn, id: made.id, outputs: made.outputs };
      } catch (err) {
        // "created but not initialised": the engine keeps the id and the properties in state.
        const partial = initFailure(err);
        if (partial) this.commit(undefined, { ...resource, id: partial.id, inputs, outputs: partial.properties });
        throw new StepError(`${resource.urn}: create failed: ${(err as Error).message}`);
      }
    };
    if (!old) {
      this.record("create", resource.urn);
      return this.dryRun ? { urn: resource.urn, id: "", outputs: provider.previewOutputs(inputs) } : created();
    }
    const diff = await provider.diff(resource.urn, old, inputs);
    if (!diff.changes) {
      this.record("same", resource.urn);
      this.commit(old, { ...resource, id: old.id, inputs: old.inputs, outputs: old.outputs });
      return { urn: resource.urn, id: old.id, outputs: old.outputs };
    }
    if (diff.replaces.length > 0) {
      this.record("replace", resource.urn);
      if (this.dryRun) return { urn: resource.urn, id: "", outputs: provider.previewOutputs(inputs) };
      if (diff.deleteBeforeReplace || resource.deleteBeforeReplace) {
        await provider.delete(resource.urn, old);
        this.state.splice(this.state.indexOf(old), 1);
        this.save();
      } else {
        this.deleteLater(old);
      }
      return created();
    }
    this.record("update", resource.urn);
    if (this.dryRun) return { urn: resource.urn, id: old.id, outputs: provider.previewOutputs(inputs, old) };
    const outputs = await provider.update(resource.urn, old, inputs);
    this.commit(old, { ...resource, id: old.id, inputs, outputs });
    return { urn: resource.urn, id: old.id, outputs };
  }

  async invoke(tok: string, args: Props): Promise<Props> {
    if (tok === GET_GROUP) return this.azuread.getGroup(args);
    throw new Error(`the engine stand-in cannot invoke '${tok}'`);
  }

  registerOutputs(urn: string, outputs: Props): void {
    if (urn === this.rootUrn) this.outputs = outputs;
  }

  // ---- after the program -----------------------------------------------------------------------------

  /** Deletes (or, in a preview, lists) what the program no longer declares, and the replaced originals. */
  async deleteUnregistered(): Promise<void> {
    const gone = this.state.filter((r) => !this.registered.has(r.urn) && !r.pendingDelete);
    for (const r of deletionOrder([...gone, ...this.pendingDeletes])) {
      this.record("delete", r.urn);
      if (this.dryRun) continue;
      await this.deleteResource(r);
    }
  }

  async deleteResource(r: StateResource): Promise<void> {
    if (r.custom && !r.type.startsWith("pulumi:providers:")) await (await this.providerFor(r.type)).delete(r.urn, r);
    const index = this.state.indexOf(r);
    if (index >= 0) this.state.splice(index, 1);
    this.save();
  }

  async destroyAll(): Promise<void> {
    for (const r of deletionOrder([...this.state])) {
      this.record("delete", r.urn);
      await this.deleteResource(r);
    }
  }

  async refreshAll(): Promise<void> {
    for (const r of [...this.state]) {
      if (!r.custom || r.type.startsWith("pulumi:providers:")) continue;
      const next = await (await this.providerFor(r.type)).read(r.urn, r);
      if (!next) {
        this.record("refresh-delete", r.urn);
        this.state.splice(this.state.indexOf(r), 1);
      } else {
        this.record(JSON.stringify(next.outputs) === JSON.stringify(r.outputs) ? "same" : "refresh", r.urn);
        Object.assign(r, { id: next.id, outputs: next.outputs }, next.inputs ? { inputs: next.inputs } : {});
      }
    }
    writeState(this.options.statePath, this.state);
  }

  // ---- the gRPC services ---------------------------------------------------------------------------

  async serve(): Promise<{ port: number; server: import("@grpc/grpc-js").Server }> {
    const server = new grpc.Server();
    const unary =
      <Req, Res>(fn: (req: Req) => Promise<Res> | Res) =>
      (call: { request: Req }, callback: (err: Error | null, res?: Res) => void) => {
        Promise.resolve()
          .then(() => fn(call.request))
          .then(
            (res) => callback(null, res),
            (err: Error) =>
              callback({
                name: "Error",
                message: err.message,
                code: grpc.status.UNKNOWN,
                details: err.message,
              } as Error),
          );
      };
    server.addService(resrpc.ResourceMonitorService, {
      supportsFeature: unary((req: resproto.SupportsFeatureRequest) => {
        const res = new resproto.SupportsFeatureResponse();
        // Plain values only (see the header); everything else the SDK may ask for is not offered.
        res.setHassupport(false);
        void req;
        return res;
      }),
      registerResource: unary(async (req: resproto.RegisterResourceRequest) => {
        const { urn, id, outputs } = await this.register(req);
        const res = new resproto.RegisterResourceResponse();
        res.setUrn(urn);
        res.setId(id);
        res.setObject(struct(outputs));
        return res;
      }),
      registerResourceOutputs: unary((req: resproto.RegisterResourceOutputsRequest) => {
        this.registerOutputs(req.getUrn(), plain(req.getOutputs()));
        return new Empty();
      }),
      invoke: unary(async (req: resproto.ResourceInvokeRequest) => {
        const res = new provproto.InvokeResponse();
        res.setReturn(struct(await this.invoke(req.getTok(), plain(req.getArgs()))));
        return res;
      }),
      signalAndWaitForShutdown: unary(() => new Empty()),
    } as never);
    server.addService(enginerpc.EngineService, {
      log: unary((req: engineproto.LogRequest) => {
        if (req.getSeverity() === engineproto.LogSeverity.DEBUG) return new Empty();
        const severity = ["debug", "info", "warning", "error"][req.getSeverity()] ?? "info";
        this.log.push(
          `${severity}: ${req.getUrn() ? `${nameOf(req.getUrn())} (${typeOf(req.getUrn())}): ` : ""}${req.getMessage().trimEnd()}`,
        );
        return new Empty();
      }),
      getRootResource: unary(() => {
        const res = new engineproto.GetRootResourceResponse();
        res.setUrn(this.rootUrn);
        return res;
      }),
      setRootResource: unary((req: engineproto.SetRootResourceRequest) => {
        this.rootUrn = req.getUrn();
        return new engineproto.SetRootResourceResponse();
      }),
    } as never);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.server = server;
    return { port, server };
  }
}

/** What the step generator needs of a resource provider (the engine's plugin interface, in short). */
interface StepProvider {
  check(urn: string, olds: Props, news: Props): Promise<{ inputs: Props; failures: string[] }>;
  diff(
    urn: string,
    old: StateResource,
    inputs: Props,
  ): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }>;
  create(urn: string, inputs: Props): Promise<{ id: string; outputs: Props }>;
  update(urn: string, old: StateResource, inputs: Props): Promise<Props>;
  delete(urn: string, old: StateResource): Promise<void>;
  /** `undefined`: the resource is gone (refresh drops it). */
  read(urn: string, old: StateResource): Promise<{ id: string; outputs: Props; inputs?: Props } | undefined>;
  /** The outputs a preview shows: the inputs, with outputs the provider computes unknown unless `old` has them. */
  previewOutputs(inputs: Props, old?: StateResource): Props;
}

/** The real dynamic-provider host: Diff and Update get the old outputs as `olds`, Delete and Read the outputs. */
function dynamicProvider(host: ProviderHost): StepProvider {
  return {
    check: async (urn, olds, news) => {
      const res = await host.check(urn, olds, news);
      return { inputs: res.inputs, failures: res.failures.map((f) => `${f.property}: ${f.reason}`) };
    },
    diff: async (urn, old, inputs) => {
      const res = await host.diff(urn, old.id, old.outputs, inputs);
      return { changes: res.changes !== "none", replaces: res.replaces, deleteBeforeReplace: res.deleteBeforeReplace };
    },
    create: async (urn, inputs) => {
      const res = await host.create(urn, inputs);
      return { id: res.id, outputs: res.properties };
    },
    update: (urn, old, inputs) => host.update(urn, old.id, old.outputs, inputs),
    delete: (urn, old) => host.delete(urn, old.id, old.outputs),
    read: async (urn, old) => {
      const res = await host.read(urn, old.id, old.outputs, old.inputs);
      return res.id
        ? { id: res.id, outputs: res.properties, ...(res.inputs ? { inputs: res.inputs } : {}) }
        : undefined;
    },
    previewOutputs: (inputs) => inputs,
  };
}

/** The azuread stand-in behind the same interface; a group's object id is unknown until it is created. */
function groupProvider(azuread: AzureadStandIn): StepProvider {
  return {
    check: async (_urn, _olds, news) => ({ inputs: news, failures: azuread.check(news) }),
    diff: async (_urn, old, inputs) => ({ ...azuread.diff(old.inputs, inputs), deleteBeforeReplace: false }),
    create: (_urn, inputs) => azuread.create(inputs),
    update: (_urn, old, inputs) => azuread.update(old.id, old.inputs, inputs),
    delete: (_urn, old) => azuread.delete(old.id),
    read: async (_urn, old) => {
      const outputs = await azuread.read(old.id, old.outputs);
      return outputs ? { id: old.id, outputs } : undefined;
    },
    previewOutputs: (inputs, old) => ({ ...inputs, objectId: old?.id ?? UNKNOWN }),
  };
}

function initFailure(err: unknown): { id: string; properties: Props } | undefined {
  const metadata = (err as { metadata?: { get(key: string): unknown[] } }).metadata;
  const bin = metadata?.get("grpc-status-details-bin")?.[0];
  if (!(bin instanceof Buffer)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- only needed on this path
  const statusproto = require("@pulumi/pulumi/proto/status_pb") as typeof import("@pulumi/pulumi/proto/status_pb");
  const status = statusproto.Status.deserializeBinary(new Uint8Array(bin));
  const any = status.getDetailsList()[0];
  if (!any) return undefined;
  const detail = provproto.ErrorResourceInitFailed.deserializeBinary(any.getValue_asU8());
  return { id: detail.getId(), properties: (detail.getProperties()?.toJavaScript() ?? {}) as Props };
}

/** Runs the program as the CLI's language host does, against the deployment's monitor; resolves when it exits. */
async function runProgram(
  options: EngineOptions,
  deployment: Deployment,
  port: number,
  dryRun: boolean,
): Promise<number> {
  const { launch } = options;
  const runScript = createRequire(path.join(launch.pwd, "noop.js")).resolve("@pulumi/pulumi/cmd/run");
  const args = [
    ...launch.nodeargs,
    runScript,
    "--monitor",
    `127.0.0.1:${port}`,
    "--engine",
    `127.0.0.1:${port}`,
    "--organization",
    "organization",
    "--project",
    launch.project,
    "--stack",
    options.stack,
    "--pwd",
    launch.pwd,
    ...(dryRun ? ["--dry-run"] : []),
    "--parallel",
    "4",
    launch.entryPoint,
  ];
  const env: NodeJS.ProcessEnv = {
    ...options.env,
    PULUMI_CONFIG: JSON.stringify(stackConfigEnv(launch, options.stack, options.config)),
    PULUMI_CONFIG_SECRET_KEYS: "[]",
    ...(launch.typescript ? { PULUMI_NODEJS_TYPESCRIPT: "true" } : {}),
  };
  const child = spawn(process.execPath, args, { cwd: launch.pwd, env, stdio: ["ignore", "pipe", "pipe"] });
  deployment.cancel = () => setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 2_000).unref();
  child.stdout.setEncoding("utf8").on("data", (chunk: string) =>
    deployment.log.push(
      ...chunk
        .split("\n")
        .filter(Boolean)
        .map((l) => `stdout: ${l}`),
    ),
  );
  child.stderr.setEncoding("utf8").on("data", (chunk: string) =>
    deployment.log.push(
      ...chunk
        .split("\n")
        .filter(Boolean)
        .map((l) => `stderr: ${l}`),
    ),
  );
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function withDeployment(
  options: EngineOptions,
  dryRun: boolean,
  body: (d: Deployment) => Promise<void>,
): Promise<RunResult> {
  const deployment = new Deployment(options, dryRun);
  let error: string | undefined;
  try {
    await body(deployment);
  } catch (err) {
    error = (err as Error).message;
  } finally {
    await deployment.close();
  }
  error ??= deployment.failure;
  return {
    ok: error === undefined,
    steps: deployment.steps,
    log: deployment.log,
    outputs: deployment.outputs,
    ...(error ? { error } : {}),
  };
}

async function update(options: EngineOptions, dryRun: boolean): Promise<RunResult> {
  return withDeployment(options, dryRun, async (d) => {
    const { port, server } = await d.serve();
    try {
      const code = await runProgram(options, d, port, dryRun);
      if (code !== 0) throw new Error(d.failure ?? `the program exited with code ${code}:\n${d.log.join("\n")}`);
      if (d.failure) throw new Error(d.failure);
      await d.deleteUnregistered();
    } finally {
      server.forceShutdown();
    }
  });
}

/** `pulumi preview`: the program runs with `--dry-run`; providers see unknowns; nothing is written. */
export const preview = (options: EngineOptions) => update(options, true);
/** `pulumi up --skip-preview` (run `preview` first for what `pulumi up` does by default). */
export const up = (options: EngineOptions) => update(options, false);
/** `pulumi refresh --yes`: Read every resource; drop what is gone. */
export const refresh = (options: EngineOptions) => withDeployment(options, false, (d) => d.refreshAll());
/** `pulumi destroy --yes`: delete everything in state, dependents first. */
export const destroy = (options: EngineOptions) => withDeployment(options, false, (d) => d.destroyAll());
