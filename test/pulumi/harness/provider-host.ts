// Drives the real dynamic-provider host that ships in @pulumi/pulumi (`cmd/dynamic-provider`) over gRPC on
// loopback, the way the Pulumi engine does during up/refresh/destroy.
// The host is a separate plain-Node process: it rebuilds each provider from the `__provider` text with
// require-from-string, exactly as in a real run, so whatever that text needs (tsx, our package) must be
// loadable from the host's working directory.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";

// The gRPC library the generated stubs were built against (a dependency of @pulumi/pulumi).
const pulumiRequire = createRequire(require.resolve("@pulumi/pulumi/package.json"));
const grpc = pulumiRequire("@grpc/grpc-js") as typeof import("@grpc/grpc-js");

export type Props = Record<string, unknown>;

export interface DiffReply {
  changes: "some" | "none" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

export interface ReadReply {
  id: string;
  properties: Props;
  inputs: Props | undefined;
}

export interface ProviderHost {
  /** Every line the host wrote to stderr (its console.error of provider failures). */
  readonly stderr: string[];
  configure(variables?: Record<string, string>): Promise<void>;
  check(
    urn: string,
    olds: Props,
    news: Props,
  ): Promise<{ inputs: Props; failures: { property: string; reason: string }[] }>;
  diff(urn: string, id: string, olds: Props, news: Props): Promise<DiffReply>;
  create(urn: string, properties: Props): Promise<{ id: string; properties: Props }>;
  read(urn: string, id: string, properties: Props, inputs?: Props): Promise<ReadReply>;
  update(urn: string, id: string, olds: Props, news: Props): Promise<Props>;
  delete(urn: string, id: string, properties: Props): Promise<void>;
  /** SIGKILL, like an engine that dies mid-run. */
  kill(): void;
  stop(): Promise<void>;
}

export interface HostOptions {
  /** The host's working directory: the engine starts plugins in the program's directory (stacks/). */
  cwd: string;
  /** The host's whole environment (credentials reach providers only this way). */
  env: NodeJS.ProcessEnv;
}

const struct = (value: Props) => Struct.fromJavaScript(value as Parameters<typeof Struct.fromJavaScript>[0]);
const plain = (value: Struct | undefined): Props => (value ? (value.toJavaScript() as Props) : {});

function unary<Req, Res>(
  fn: (req: Req, cb: (err: Error | null, res?: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    fn(req, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

export async function startProviderHost(options: HostOptions): Promise<ProviderHost> {
  // Resolved from the host's working directory, as the engine's `pulumi-resource-pulumi-nodejs` shim does:
  // the program's own @pulumi/pulumi, not the one this test file happens to see.
  const script = createRequire(path.join(options.cwd, "noop.js")).resolve("@pulumi/pulumi/cmd/dynamic-provider");
  // Second argument: the engine address. The host never dials it for CRUD calls; it only must be present.
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [script, "127.0.0.1:1"], {
    cwd: options.cwd,
    env: options.env,
    stdio: "pipe",
  });
  const stderr: string[] = [];
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => stderr.push(...chunk.split("\n").filter(Boolean)));

  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout.setEncoding("utf8");
    const onData = (chunk: string) => {
      out += chunk;
      // Wait for the newline: a chunk may end mid-number ("123" then "45\n").
      const m = /^(\d+)\r?\n/m.exec(out);
      if (m) {
        child.stdout.off("data", onData);
        resolve(Number(m[1]));
      }
    };
    child.stdout.on("data", onData);
    child.once("exit", (code) =>
      reject(new Error(`provider host exited (${code}) before printing its port: ${stderr.join("\n")}`)),
    );
    child.once("error", reject);
  });

  const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const bind = <Req, Res>(name: keyof provrpc.ResourceProviderClient) =>
    (client[name] as (req: Req, cb: (err: Error | null, res?: Res) => void) => unknown).bind(client);

  const host: ProviderHost = {
    stderr,
    async configure(variables = {}) {
      const req = new provproto.ConfigureRequest();
      for (const [k, v] of Object.entries(variables)) req.getVariablesMap().set(k, v);
      req.setArgs(struct(Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v]))));
      await unary<provproto.ConfigureRequest, provproto.ConfigureResponse>(bind("configure"), req);
    },
    async check(urn, olds, news) {
      const req = new provproto.CheckRequest();
      req.setUrn(urn);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await unary<provproto.CheckRequest, provproto.CheckResponse>(bind("check"), req);
      return {
        inputs: plain(res.getInputs()),
        failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
      };
    },
    async diff(urn, id, olds, news) {
      const req = new provproto.DiffRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await unary<provproto.DiffRequest, provproto.DiffResponse>(bind("diff"), req);
      const C = provproto.DiffResponse.DiffChanges;
      const changes = res.getChanges() === C.DIFF_SOME ? "some" : res.getChanges() === C.DIFF_NONE ? "none" : "unknown";
      return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
    },
    async create(urn, properties) {
      const req = new provproto.CreateRequest();
      req.setUrn(urn);
      req.setProperties(struct(properties));
      const res = await unary<provproto.CreateRequest, provproto.CreateResponse>(bind("create"), req);
      return { id: res.getId(), properties: plain(res.getProperties()) };
    },
    async read(urn, id, properties, inputs) {
      const req = new provproto.ReadRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(struct(properties));
      if (inputs) req.setInputs(struct(inputs));
      const res = await unary<provproto.ReadRequest, provproto.ReadResponse>(bind("read"), req);
      return {
        id: res.getId(),
        properties: plain(res.getProperties()),
        inputs: res.hasInputs() ? plain(res.getInputs()) : undefined,
      };
    },
    async update(urn, id, olds, news) {
      const req = new provproto.UpdateRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setOlds(struct(olds));
      req.setNews(struct(news));
      const res = await unary<provproto.UpdateRequest, provproto.UpdateResponse>(bind("update"), req);
      return plain(res.getProperties());
    },
    async delete(urn, id, properties) {
      const req = new provproto.DeleteRequest();
      req.setUrn(urn);
      req.setId(id);
      req.setProperties(struct(properties));
      await unary<provproto.DeleteRequest, unknown>(bind("delete"), req);
    },
    kill() {
      client.close();
      child.kill("SIGKILL");
    },
    async stop() {
      client.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGTERM");
      await exited;
    },
  };
  return host;
}
