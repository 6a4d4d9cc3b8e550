// Only the distributions the platform team supports are compliant: Ubuntu 22.04 to 24.04 and Debian 12
// or later. Anything else makes the device non-compliant (and Conditional Access does the rest).
// Intune evaluates the list only on devices running the Intune WSL plug-in, which the stack deploys
// required to the same rings (intune-wsl-plugin.ts).
import { wslCompliance } from "wslpolicy";
import { intuneWslPluginInstaller } from "./intune-wsl-plugin";
import { wslRings } from "./rings";

export const wslApprovedDistros = wslCompliance({
  id: "wsl-approved-distros",
  displayName: "Win - WSL - Approved distributions",
  description:
    "Developer devices are compliant only while every WSL distribution is Ubuntu 22.04–24.04 or Debian 12 or later.",
  distributions: [
    { distribution: "Ubuntu", minimumOSVersion: "22.04", maximumOSVersion: "24.04" },
    { distribution: "Debian", minimumOSVersion: "12" },
  ],
  assignments: { include: wslRings },
  plugin: intuneWslPluginInstaller,
});
