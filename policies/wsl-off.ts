// Everyone who is not a developer has WSL off. Developer workstations and the ring groups are excluded so
// this never competes with wsl-developers for the same device (Intune would apply neither).
import { group, wslPolicy } from "wslpolicy";
import { wslRings } from "./rings";

export const wslOff = wslPolicy({
  id: "wsl-off",
  displayName: "Win - WSL - Off",
  description: "Blocks the Windows Subsystem for Linux on every workstation that is not a developer device.",
  wsl: false,
  assignments: {
    include: [group("All Windows Workstations")],
    exclude: [group("Developer Workstations"), ...wslRings],
  },
});
