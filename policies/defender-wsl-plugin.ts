// The Microsoft Defender for Endpoint plug-in for WSL, rolled out ring by ring in January 2027: each ring
// gets the app a week after the previous one, with a two-day install deadline. The last ring waits for the
// early adopters' health: 95 % installed, at most 2 % failed, 5 devices reporting, two days after their
// deadline. The MSI here is a STAND-IN
// built with wixl (packages/build-stand-ins.sh), not Microsoft's: put the MSI from the Defender portal in
// packages/ and pin its SHA-256 (`wslpolicy package inspect <file>` prints it).
import { defenderPluginRollout } from "wslpolicy";
import { allDevelopers, earlyAdopters, pilot } from "./rings";

export const defenderWslPlugin = defenderPluginRollout({
  id: "defender-wsl-plugin",
  displayName: "Microsoft Defender for Endpoint plug-in for WSL",
  description: "Gives Defender for Endpoint visibility into WSL distributions on every device that may run WSL.",
  package: {
    file: "packages/stand-in-DefenderPlugin-x64-1.24.522.2.msi",
    sha256: "4efcb831ca6777645d983b3ac1e129c4011cb4cd2659c6645c620cb0eceb58a5",
  },
  notifications: "showReboot",
  rings: [
    { target: pilot, start: "2027-01-05T08:00:00Z", deadline: "2027-01-07T17:00:00Z" },
    { target: earlyAdopters, start: "2027-01-12T08:00:00Z", deadline: "2027-01-14T17:00:00Z" },
    {
      target: allDevelopers,
      start: "2027-01-19T08:00:00Z",
      deadline: "2027-01-21T17:00:00Z",
      gate: { minDevicesReporting: 5, minInstalledPercent: 95, maxFailedPercent: 2, soakHours: 48 },
    },
  ],
});
