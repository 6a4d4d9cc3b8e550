// The fault matrix (test/faults/matrix.ts): every fault kind × plan, drift and the provider operations
// (create, update, assign, delete, refresh as `pulumi up`/`refresh`/`destroy` run them), against the
// time-scaled emulator, and the upload of a Win32 app's content (blocks to storage, the content file's state).
// Prints the matrix with its counts; any cell that breaks an invariant fails the test by name.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../../src/emulator";
import { COLLECTIONS, isOwnedBy, type DesiredObject } from "../../src/model";
import { create, read, remove, update } from "../../src/pulumi/operations";
import { planSchema } from "../../src/diff/plan-schema";
import { runCli } from "../cli/run-cli";
import { appliedTenant, POLICIES_DIR } from "../diff/emulator-tenant";
import { compiledExamples, resourceInputs, seedWithGroups } from "../pulumi/harness/fixtures";
import {
  cellFaults,
  FAULTS,
  isClearError,
  OPERATIONS,
  renderMatrix,
  type Fault,
  type Operation,
  type Outcome,
} from "./matrix";

const TIME_SCALE = "0.01";
const CONFIG = COLLECTIONS.configurationPolicies;
const results = new Map<string, Outcome>();
const failures: string[] = [];
/** Every cell must hold: success after retries, or a clear error. */
const unexpected = (op: Operation) => failures.filter((f) => f.startsWith(`${op} ×`));

const errorText = (err: unknown) => (err instanceof Error ? err.message : String(err));
const firstLine = (text: string) => text.split("\n")[0]!.slice(0, 160);

function record(op: Operation, fault: Fault, outcome: Outcome): void {
  results.set(`${op}|${fault}`, outcome);
  if (outcome.kind === "FAILED") failures.push(`${op} × ${fault}: ${outcome.detail}`);
}

/** 30 portal-made objects that only make lists page (25 a page) and are otherwise left alone. */
function fillers(kind: "configurationPolicy" | "compliancePolicy", n: number) {
  return Array.from({ length: n }, (_, i) =>
    kind === "configurationPolicy"
      ? {
          id: `f0000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
          name: `Filler ${i}`,
          description: "portal",
          platforms: "windows10",
          technologies: "mdm",
          settings: [],
          assignments: [],
        }
      : {
          id: `c0000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
          "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
          displayName: `Filler compliance ${i}`,
          description: "portal",
          assignments: [],
          scheduledActionsForRule: [],
        },
  );
}

describe("reads under every fault: plan and drift", () => {
  const STACK = "faultmatrix";
  let emulator: RunningEmulator;
  let workdir: string;
  const baseline: Partial<Record<"plan" | "drift", { code: number; summary: unknown }>> = {};

  const run = async (op: "plan" | "drift") => {
    const r = await runCli([op, "--stack", STACK, "--format", "json"], {
      cwd: workdir,
      env: {
        WSLPOLICY_EMULATOR_CA: emulator.caFile,
        WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
        WSLPOLICY_EMULATOR_TIME_SCALE: TIME_SCALE,
      },
    });
    return { ...r, summary: r.code === 1 ? undefined : planSchema.parse(JSON.parse(r.stdout)).summary };
  };

  beforeAll(async () => {
    const applied = await appliedTenant(STACK);
    const seed = applied.snapshot;
    seed[COLLECTIONS.compliancePolicies] = [
      ...seed[COLLECTIONS.compliancePolicies],
      ...fillers("compliancePolicy", 30),
    ] as (typeof seed)[typeof COLLECTIONS.compliancePolicies];
    emulator = await startEmulator({ seed, throttling: { enabled: false }, timeScale: Number(TIME_SCALE) });
    // One change made in the portal, so plan has an update and drift has drift to report.
    emulator.state.updateConfigurationPolicy(applied.ids.get("wsl-off")!, (p) => {
      p.name = "Win - WSL - Off (renamed in the portal)";
    });
    workdir = mkdtempSync(path.join(tmpdir(), "wslpolicy-faultmatrix-"));
    mkdirSync(path.join(workdir, "stacks"));
    writeFileSync(
      path.join(workdir, "stacks", `Pulumi.${STACK}.yaml`),
      `config:\n  wslpolicy:tenant: emulator\n  wslpolicy:graphEndpoint: ${emulator.baseUrl}\n  wslpolicy:policies: ${POLICIES_DIR}\n`,
    );
    for (const op of ["plan", "drift"] as const) {
      const r = await run(op);
      baseline[op] = { code: r.code, summary: r.summary };
    }
  });
  afterAll(async () => {
    await emulator.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it("has a fault-free baseline: plan shows the portal change, drift reports it (exit 2)", () => {
    expect(baseline.plan).toMatchObject({ code: 0, summary: { update: 1, hasChanges: true } });
    expect(baseline.drift).toMatchObject({ code: 2, summary: { update: 1, hasChanges: true } });
  });

  for (const op of ["plan", "drift"] as const) {
    it(`${op}: the same result after retries, or exit 1 with a clear error — never "no changes" or "clean" on an error`, async () => {
      for (const fault of FAULTS) {
        const rules = cellFaults(op, fault);
        if (!rules) {
          record(op, fault, { kind: "n/a" });
          continue;
        }
        emulator.faults.clear();
        for (const rule of rules) emulator.faults.add(rule);
        const r = await run(op);
        emulator.faults.clear();
        const expected = baseline[op]!;
        if (r.code === 1)
          record(
            op,
            fault,
            isClearError(r.stderr)
              ? { kind: "clear error", detail: firstLine(r.stderr) }
              : { kind: "FAILED", detail: `unclear error: ${firstLine(r.stderr)}` },
          );
        else if (r.code === expected.code && JSON.stringify(r.summary) === JSON.stringify(expected.summary))
          record(op, fault, { kind: "survived", detail: `exit ${r.code}` });
        else
          record(op, fault, {
            kind: "FAILED",
            detail: `exit ${r.code} with ${JSON.stringify(r.summary)} instead of exit ${expected.code} with ${JSON.stringify(expected.summary)}`,
          });
      }
      expect(unexpected(op)).toEqual([]);
    });
  }
});

describe("writes and reads of the providers under every fault: create, update, assign, delete, refresh, app upload", () => {
  let emulator: RunningEmulator;
  let template: DesiredObject;
  let appTemplate: DesiredObject;
  let cell = 0;
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    const seed = seedWithGroups();
    seed[CONFIG] = fillers("configurationPolicy", 30) as (typeof seed)[typeof CONFIG];
    emulator = await startEmulator({ seed, throttling: { enabled: false }, timeScale: Number(TIME_SCALE) });
    // The providers take their connection from the environment, as in the provider host.
    for (const [k, v] of Object.entries({
      WSLPOLICY_EMULATOR_CA: emulator.caFile,
      WSLPOLICY_EMULATOR_TOKEN: emulator.issueToken(),
      WSLPOLICY_EMULATOR_TIME_SCALE: TIME_SCALE,
    })) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    const examples = (await compiledExamples("faultmatrix")).objects;
    template = examples.find((o) => o.policyId === "wsl-developers")!;
    appTemplate = examples.find((o) => o.policyId === "defender-wsl-plugin")!;
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await emulator.stop();
  });

  /** A fresh stack per cell, so cells cannot see each other's objects. */
  function cellInputs(of: DesiredObject = template): { stack: string; props: Record<string, unknown> } {
    const stack = `fm${++cell}`;
    const description = String(of.document.description).replace("[wslpolicy:faultmatrix/", `[wslpolicy:${stack}/`);
    const obj: DesiredObject = { ...of, document: { ...of.document, description } };
    return { stack, props: resourceInputs(obj, stack, emulator.baseUrl) };
  }
  const owned = (stack: string) =>
    emulator.state.list(CONFIG).filter((o) => isOwnedBy(o.description as string | undefined, stack, "wsl-developers"));
  const kind = "configurationPolicy" as const;

  /** Runs `act` under the cell's faults; `check` returns a broken invariant, or undefined. */
  async function runCell(
    op: Operation,
    fault: Fault,
    act: () => Promise<unknown>,
    check: (ok: boolean, value: unknown) => string | undefined,
  ): Promise<void> {
    const rules = cellFaults(op, fault)!;
    for (const rule of rules) emulator.faults.add(rule);
    let value: unknown;
    let error: unknown;
    try {
      value = await act();
    } catch (err) {
      error = err;
    }
    emulator.faults.clear();
    const broken = check(error === undefined, value);
    if (broken) record(op, fault, { kind: "FAILED", detail: broken });
    else if (error === undefined) record(op, fault, { kind: "survived", detail: "ok" });
    else if (isClearError(errorText(error)))
      record(op, fault, { kind: "clear error", detail: firstLine(errorText(error)) });
    else record(op, fault, { kind: "FAILED", detail: `unclear error: ${firstLine(errorText(error))}` });
  }

  const apps = (stack: string) =>
    emulator.state
      .list(COLLECTIONS.mobileApps)
      .filter((o) => isOwnedBy(o.description as string | undefined, stack, "defender-wsl-plugin"));

  const scenarios: Record<Exclude<Operation, "plan" | "drift">, (fault: Fault) => Promise<void>> = {
    async upload(fault) {
      // `pulumi up` of the Defender plug-in app: create, pack and upload the MSI, publish, assign. On an
      // error the app exists (created-but-failed keeps its id) and the next run finishes it.
      const { stack, props } = cellInputs(appTemplate);
      let failedId: string | undefined;
      await runCell(
        "upload",
        fault,
        () =>
          create("mobileApp", props).catch((err: unknown) => {
            failedId = apps(stack)[0]?.id as string | undefined;
            throw err;
          }),
        (ok) => {
          const objects = apps(stack);
          if (objects.length > 1) return `twin: ${objects.length} apps carry the marker`;
          if (ok && objects[0]?.publishingState !== "published") return "reported created, the app is not published";
          if (ok && (objects[0]!.assignments as unknown[]).length !== Object.keys(props.assignments as object).length)
            return "reported created, the app lacks its ring assignments";
          return undefined;
        },
      );
      if (failedId === undefined) return;
      // The next run, with the fault gone, converges on the same app.
      const outs = { ...props, id: failedId };
      await update("mobileApp", failedId, outs, props).catch(() => undefined);
      const after = apps(stack);
      if (after.length !== 1 || after[0]!.publishingState !== "published")
        record("upload", fault, {
          kind: "FAILED",
          detail: `the next run did not finish the app: ${after.length} apps, ${String(after[0]?.publishingState)}`,
        });
    },
    async create(fault) {
      const { stack, props } = cellInputs();
      await runCell(
        "create",
        fault,
        () => create(kind, props),
        (ok, value) => {
          const objects = owned(stack);
          if (objects.length > 1) return `twin: ${objects.length} objects carry the marker`;
          if (!ok) return undefined;
          const id = (value as { id: string }).id;
          if (objects[0]?.id !== id)
            return `reported ${id}, the tenant holds ${objects.map((o) => o.id).join(", ") || "nothing"}`;
          if ((objects[0]!.assignments as unknown[]).length !== Object.keys(props.assignments as object).length)
            return "created without its assignments";
          return undefined;
        },
      );
    },
    async update(fault) {
      const { stack, props } = cellInputs();
      const { id, outs } = await create(kind, props);
      const renamed = "Win - WSL - Developers (renamed by the update)";
      const news = { ...props, document: { ...(props.document as object), name: renamed } };
      await runCell(
        "update",
        fault,
        () => update(kind, id, outs, news),
        (ok) => {
          if (owned(stack).length !== 1) return `${owned(stack).length} objects after the update`;
          if (ok && emulator.state.get(CONFIG, id)?.name !== renamed)
            return "lost update: reported updated, the tenant has the old name";
          return undefined;
        },
      );
    },
    async assign(fault) {
      const { stack, props } = cellInputs();
      const { id, outs } = await create(kind, props);
      const [first] = Object.entries(props.assignments as Record<string, unknown>);
      const news = { ...props, assignments: Object.fromEntries([first!]) };
      await runCell(
        "assign",
        fault,
        () => update(kind, id, outs, news),
        (ok) => {
          if (owned(stack).length !== 1) return `${owned(stack).length} objects after the assignment`;
          const live = emulator.state.get(CONFIG, id)?.assignments as unknown[] | undefined;
          if (ok && live?.length !== 1)
            return `lost update: reported assigned, the tenant has ${live?.length ?? 0} assignments instead of 1`;
          return undefined;
        },
      );
    },
    async delete(fault) {
      const { stack, props } = cellInputs();
      const { id, outs } = await create(kind, props);
      await runCell(
        "delete",
        fault,
        () => remove(kind, id, outs),
        (ok) => {
          if (ok && owned(stack).length > 0) return "reported deleted, still in the tenant";
          return undefined;
        },
      );
    },
    async refresh(fault) {
      const { props } = cellInputs();
      const { id, outs } = await create(kind, props);
      await runCell(
        "refresh",
        fault,
        () => read(kind, id, outs),
        (ok, value) => {
          if (ok && (value as { id: string }).id !== id && emulator.state.get(CONFIG, id))
            return "reported gone, still in the tenant (the stack would forget it)";
          return undefined;
        },
      );
    },
  };

  for (const op of ["create", "update", "assign", "delete", "refresh", "upload"] as const) {
    it(`${op}: success after retries or a clear error; no twin, no lost update, nothing left behind that was reported deleted`, async () => {
      for (const fault of FAULTS) {
        if (!cellFaults(op, fault)) {
          record(op, fault, { kind: "n/a" });
          continue;
        }
        await scenarios[op](fault);
      }
      expect(unexpected(op)).toEqual([]);
    });
  }
});

afterAll(() => {
  // The matrix, as the README shows it (`npx vitest run test/faults`).
  console.log(
    `\nFault matrix\n${renderMatrix(results, OPERATIONS)}\n${failures.length ? `\nFailed cells:\n${failures.map((f) => `  ${f}`).join("\n")}\n` : ""}`,
  );
});
