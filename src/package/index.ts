// Packages: reading MSI files and packing/reading `.intunewin` files (Microsoft's Win32 content format),
// with no Windows tool. I/O stage: it reads and writes files, nothing else.
export { readMsiFile, sha256File } from "./msi-file";
export { readMsiFacts, type MsiFacts, type MsiInfo } from "./msi-facts";
export { MsiFormatError } from "./msi-database";
export { packIntunewin, intunewinFileName, type PackOptions, type PackResult } from "./intunewin-pack";
export { readIntunewin, IntunewinError, type IntunewinContents } from "./intunewin-read";
export { type Detection, type EncryptionInfo, DetectionXmlError } from "./detection-xml";
export { systemRandom, PayloadVerifier, type RandomBytes } from "./payload-crypto";
