// The CrossGuard policy pack: `pulumi preview --policy-pack policy-pack` runs the wslpolicy guardrails.
// Constructing a PolicyPack starts its gRPC server at once, so nothing but this file may do it (tests
// import ./policies instead; https://www.pulumi.com/docs/iac/using-pulumi/crossguard/).
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("wslpolicy-guardrails", { policies });
