// The Pulumi program (Pulumi.yaml `main: stacks/index.ts`): compiles policies/ for the selected stack and declares
// the ring groups and Intune objects. Everything happens in src/pulumi/run-stack.ts; this file only names
// the project root. Stack outputs: tenant, graphEndpoint, ringGroupIds, referencedGroupIds, objectIds.
import path from "node:path";
import { runStack } from "../src/pulumi/run-stack";

export = () => runStack(path.resolve(__dirname, ".."));
