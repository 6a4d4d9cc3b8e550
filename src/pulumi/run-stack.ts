// What stacks/index.ts runs: read the stack's `wslpolicy:` config through Pulumi, load and compile the
// policies with the same entry point as `validate` and `plan` (src/project/build.ts), refuse to declare
// anything when a diagnostic is an error, then declare the resources. Returns the stack outputs.
import path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CLOUDS, parseStackSettings } from "../config";
import { formatDiagnostic } from "../model";
import { buildDesiredState } from "../project";
import { declareStack, decodeConfig } from "./program";
import { gatedDesiredState } from "./rollout-gates";

export interface StackOutputs {
  tenant: string;
  graphEndpoint: string;
  ringGroupIds: pulumi.Output<Record<string, string>>;
  referencedGroupIds: pulumi.Output<Record<string, string>>;
  objectIds: pulumi.Output<Record<string, string>>;
}

export async function runStack(projectRoot: string): Promise<StackOutputs> {
  const stack = pulumi.getStack();
  const stackFile = path.join("stacks", `Pulumi.${stack}.yaml`);
  const settings = parseStackSettings(decodeConfig(pulumi.runtime.allConfig()), stackFile);
  const graphEndpoint = settings.graphEndpoint ?? CLOUDS[settings.cloud].graph;
  if (settings.tenant === "emulator" && !settings.graphEndpoint) {
    throw new Error(
      `${stackFile}: config.wslpolicy:graphEndpoint: a Pulumi run needs a running emulator; start \`wslpolicy emulator --port 8443\` and set it to the URL it prints`,
    );
  }
  const policiesDir = path.resolve(projectRoot, settings.policies);
  const build = await buildDesiredState({
    policiesDir,
    stack,
    guardrails: settings.guardrails,
    secretEnv: process.env,
  });
  if (!build.ok) {
    const errors = build.diagnostics.map(formatDiagnostic).join("\n");
    throw new Error(`the policies in ${settings.policies}/ do not compile; nothing was declared:\n${errors}`);
  }
  // Rings whose health gate is closed are not declared (rollout-gates.ts): what `wslpolicy plan` shows.
  const desired = await gatedDesiredState(build.desired, {
    tenant: settings.tenant,
    graphEndpoint,
    cloud: settings.cloud,
  });
  const declared = declareStack(desired, {
    tenant: settings.tenant,
    graphEndpoint,
    cloud: settings.cloud,
    policiesDir,
  });
  return { tenant: settings.tenant, graphEndpoint, ...declared.outputs };
}
