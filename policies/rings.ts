// The three WSL rollout rings of Northwind Traders (docs/demo-organisation.md). The stack creates these
// Entra security groups; every WSL policy targets them through these shared definitions, so a ring is
// defined once. Not a policy: the loader ignores exports whose kind is a target.
import { ring } from "wslpolicy";

/**
 * The platform team's engineers (user object ids: an assigned group holds users, groups or service
 * principals, not devices); device policies assigned to it reach their devices.
 */
export const pilot = ring({
  key: "pilot",
  name: "WSL Ring 1 - Pilot",
  description: "Platform team engineers: first to get WSL changes and new Defender plug-in builds on their devices.",
  members: [
    "3f2b8c1e-6d4a-4e2f-9b7c-1a5d8e9f0c21",
    "8a7d6e5f-4c3b-4a29-8187-6f5e4d3c2b1a",
    "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f",
  ],
});

/** Devices ordered with the WSL early-adopter tag. */
export const earlyAdopters = ring({
  key: "early-adopters",
  name: "WSL Ring 2 - Early adopters",
  description: "Developer devices tagged WSL-EARLY at ordering: the second wave.",
  rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:WSL-EARLY")',
});

/** Every developer device (ordered with the DEV tag). */
export const allDevelopers = ring({
  key: "all-developers",
  name: "WSL Ring 3 - All developers",
  description: "Every developer device (tagged DEV at ordering): the last wave.",
  rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:DEV")',
});

export const wslRings = [pilot, earlyAdopters, allDevelopers];
