// The Microsoft Defender for Endpoint plug-in for WSL, rolled out ring by ring in January 2027: each ring
// gets the app a week after the previous one, with a two-day install deadline.
import { defenderPluginRollout } from "wslpolicy";
import { allDevelopers, earlyAdopters, pilot } from "./rings";

export const defenderWslPlugin = defenderPluginRollout({
  id: "defender-wsl-plugin",
  displayName: "Microsoft Defender for Endpoint plug-in for WSL",
  description: "Gives Defender for Endpoint visibility into WSL distributions on every device that may run WSL.",
  package: {
    fileName: "DefenderPlugin-x64-0.24.426.1.msi",
    version: "0.24.426.1",
  },
  notifications: "showReboot",
  rings: [
    { target: pilot, start: "2027-01-05T08:00:00Z", deadline: "2027-01-07T17:00:00Z" },
    { target: earlyAdopters, start: "2027-01-12T08:00:00Z", deadline: "2027-01-14T17:00:00Z" },
    { target: allDevelopers, start: "2027-01-19T08:00:00Z", deadline: "2027-01-21T17:00:00Z" },
  ],
});
