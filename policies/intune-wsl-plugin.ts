// The Intune WSL plug-in, shared by every compliance policy that judges WSL distributions: the stack
// deploys it as a Win32 app, required wherever such a policy applies. The MSI here is a STAND-IN built with
// wixl (packages/build-stand-ins.sh), not Microsoft's IntuneWSLPluginInstaller.msi: replace it and pin
// the real file's SHA-256. Not a policy by itself (no kind), so the loader does not read it as one.
import { intuneWslPlugin } from "wslpolicy";

export const intuneWslPluginInstaller = intuneWslPlugin({
  file: "packages/stand-in-IntuneWSLPluginInstaller-1.25.04.0.msi",
  sha256: "083fe5779968f1314b5775067a5915cbdce8b2bb326ad833bd8d59487edc85c4",
});
