// An example policy: WSL 2 for developer devices only, with WSL1 and the `.wslconfig` escape hatches
// locked down. Every `*.ts` file in policies/ is loaded (adding a file is enough); see the wslpolicy
// README for the other builders (hyperVFirewall, wslCompliance, defenderPluginRollout,
// settingsCatalogPolicy) and for targeting existing Entra groups with group("Display name").
import { intuneWslPlugin, ring, wslCompliance, wslPolicy } from "wslpolicy";

/**
 * The devices that may run WSL: an Entra security group the stack creates, with a dynamic rule. Its
 * `key` names the Pulumi resource (`ring-developers`), so renaming the group never recreates it.
 */
export const developers = ring({
  key: "developers",
  name: "WSL - Developer devices",
  description: "Devices ordered with the DEV tag: the only ones that may run WSL.",
  rule: '(device.devicePhysicalIds -any _ -eq "[OrderID]:DEV")',
});

export const wslDevelopers = wslPolicy({
  id: "wsl-developers",
  displayName: "Win - WSL - Developers",
  description: "WSL 2 only: inbox WSL, WSL1, the debug shell and disk mounts off; .wslconfig locked.",
  wsl: true,
  inboxWsl: false,
  wsl1: false,
  debugShell: false,
  diskMount: false,
  wslconfig: {
    customKernel: false,
    kernelCommandLine: false,
    systemDistro: false,
    nestedVirtualization: false,
    kernelDebugging: false,
    networkingMode: false,
    firewall: false,
  },
  defaultNetworkingMode: "mirrored",
  assignments: { include: [developers] },
});

export const wslDistributions = wslCompliance({
  id: "wsl-distributions",
  displayName: "Win - WSL - Approved distributions",
  description: "Devices running a WSL distribution that is not on this list are not compliant.",
  distributions: [{ distribution: "Ubuntu", minimumOSVersion: "22.04" }],
  assignments: { include: [developers] },
  // Intune judges the list only on devices running the Intune WSL plug-in, which the stack deploys to the
  // same devices. This MSI is a STAND-IN (built with wixl): replace it with Microsoft's
  // IntuneWSLPluginInstaller.msi and pin its SHA-256 (`npx wslpolicy package inspect <file>` prints it).
  plugin: intuneWslPlugin({
    file: "packages/stand-in-IntuneWSLPluginInstaller-1.25.04.0.msi",
    sha256: "083fe5779968f1314b5775067a5915cbdce8b2bb326ad833bd8d59487edc85c4",
  }),
});
