// Developers get WSL 2 only, with mirrored networking and every `.wslconfig` override locked, rolled out
// through the three rings. Kiosks never get WSL, even if someone tags one as a developer device.
import { group, wslPolicy } from "wslpolicy";
import { wslRings } from "./rings";

export const wslDevelopers = wslPolicy({
  id: "wsl-developers",
  displayName: "Win - WSL - Developers",
  description:
    "WSL 2 for developer devices: WSL 1, inbox WSL, the debug shell and disk mounts disabled; users cannot override the kernel, networking or firewall in .wslconfig; mirrored networking by default.",
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
  assignments: {
    include: wslRings,
    exclude: [group("Kiosk Devices")],
  },
});
