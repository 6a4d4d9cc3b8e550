// The shipped CI definitions keep credentials away from untrusted code (docs/security.md): a job that
// runs a pull request's code (policy files are TypeScript) never holds an OIDC token, a secret or a
// service connection, and the job that holds one runs only the base branch's code.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO_ROOT } from "../policy/workspace";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  env?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}

// The CI definitions `wslpolicy init` writes into a platform repo.
const GH_DIR = path.join(REPO_ROOT, "templates", "init", "github", "workflows");
const workflows = readdirSync(GH_DIR).map((f) => ({
  file: f,
  wf: parse(readFileSync(path.join(GH_DIR, f), "utf8")) as Workflow,
}));
const PR_EVENTS = ["pull_request", "pull_request_target"];

const holdsToken = (job: Job, wf: Workflow) => {
  const perms = job.permissions ?? wf.permissions;
  return perms === "write-all" || (typeof perms === "object" && perms["id-token"] === "write");
};
const checksOutPullRequest = (job: Job, event: string) =>
  (job.steps ?? []).some(
    (s) =>
      s.uses?.startsWith("actions/checkout") &&
      (event === "pull_request" || String(s.with?.ref ?? "").includes("pull_request.head")),
  );

describe("GitHub workflows", () => {
  it("ship a plan, a validate and a drift workflow", () => {
    expect(workflows.map((w) => w.file).sort()).toEqual([
      "wslpolicy-drift.yml",
      "wslpolicy-plan.yml",
      "wslpolicy-validate.yml",
    ]);
  });

  for (const { file, wf } of workflows) {
    const events = Object.keys(wf.on);
    const prEvent = events.find((e) => PR_EVENTS.includes(e));
    if (!prEvent) continue;
    describe(file, () => {
      it("grants no permission at the workflow level beyond reading contents", () => {
        const perms = wf.permissions ?? {};
        expect(
          typeof perms === "object" ? Object.entries(perms).filter(([, v]) => v !== "read" && v !== "none") : perms,
        ).toEqual([]);
      });
      for (const [name, job] of Object.entries(wf.jobs)) {
        it(`job ${name}: never holds an OIDC token and runs pull-request code in the same job`, () => {
          expect(holdsToken(job, wf) && checksOutPullRequest(job, prEvent)).toBe(false);
        });
        if (checksOutPullRequest(job, prEvent)) {
          it(`job ${name} (runs pull-request code): read-only, no secrets, no shared npm cache, no install scripts`, () => {
            expect(job.permissions ?? wf.permissions).toEqual({ contents: "read" });
            const text = JSON.stringify(job);
            expect(text).not.toMatch(/secrets\.|AZURE_|ARM_|id-token/);
            for (const step of job.steps ?? []) {
              if (step.uses?.startsWith("actions/setup-node")) expect(step.with ?? {}).not.toHaveProperty("cache");
              if (step.uses?.startsWith("actions/checkout")) expect(step.with?.["persist-credentials"]).toBe(false);
              if (step.run?.includes("npm ci")) expect(step.run).toContain("--ignore-scripts");
            }
          });
        }
        if (holdsToken(job, wf)) {
          it(`job ${name} (holds the OIDC token): only for this repository's branches, checks out the base branch`, () => {
            expect(prEvent).toBe("pull_request_target"); // the workflow file as it is on the base branch
            expect(String((job as { if?: string }).if)).toContain(
              "github.event.pull_request.head.repo.full_name == github.repository",
            );
            const checkout = (job.steps ?? []).find((s) => s.uses?.startsWith("actions/checkout"));
            expect(checkout?.with?.ref).toBe("${{ github.event.pull_request.base.sha }}");
          });
        }
      }
    });
  }
});

describe("Azure DevOps pipelines", () => {
  const dir = path.join(REPO_ROOT, "templates", "init", "azure-pipelines");
  const pipelines = readdirSync(dir).map((f) => ({ file: f, text: readFileSync(path.join(dir, f), "utf8") }));

  it("a pipeline that runs for pull requests uses no service connection and passes the access token only to the comment step", () => {
    const pr = pipelines.filter((p) => {
      const doc = parse(p.text) as { pr?: unknown };
      return doc.pr !== "none" && doc.pr !== undefined;
    });
    expect(pr.map((p) => p.file)).toEqual(["wslpolicy-plan.yml"]);
    for (const p of pr) {
      expect(p.text).not.toMatch(/azureSubscription|AzureCLI@/);
      const steps = (parse(p.text) as { steps: Step[] & { displayName?: string }[] }).steps;
      const withToken = steps.filter((s) => JSON.stringify(s.env ?? {}).includes("System.AccessToken"));
      expect(withToken.map((s) => (s as { displayName?: string }).displayName)).toEqual([
        "Post or update the PR comment",
      ]);
    }
  });
});
