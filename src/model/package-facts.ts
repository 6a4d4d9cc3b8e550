// What an MSI said about itself, as the pure compiler receives it: read at the edge (src/package via
// src/project) so the compiler can fill a Win32 app's product code, version, publisher and MSI
// information from the file rather than from the policy. And the note an app carries to say which file
// its committed content is, so a run can tell "already uploaded" from "new file" by reading the app.

export interface PackageFacts {
  /** As the policy names it: relative to the policies directory, `/`-separated. */
  file: string;
  /** Lower-case hex SHA-256 of the file. */
  sha256: string;
  /** The MSI's own file name (the setup file inside the package). */
  setupFile: string;
  productCode: string;
  productVersion: string;
  upgradeCode?: string;
  /** Manufacturer. */
  publisher: string;
  productName: string;
  packageType: "perMachine" | "perUser" | "dualPurpose";
  requiresReboot: boolean;
}

/** Content a Win32 app object must carry: which MSI, pinned by hash. */
export interface ContentRef {
  /** Relative to the policies directory. */
  file: string;
  sha256: string;
}

const NOTE = /\bwslpolicy content: .* sha256 ([0-9a-f]{64})\b/;

/** The app's `notes`: names its committed content, so a re-run with the same file uploads nothing. */
export function contentNote(p: Pick<PackageFacts, "setupFile" | "sha256">): string {
  return `wslpolicy content: ${p.setupFile} sha256 ${p.sha256.toLowerCase()}`;
}

/** The SHA-256 a live app's `notes` say its committed content has, if it says. */
export function noteSha256(notes: unknown): string | undefined {
  return typeof notes === "string" ? NOTE.exec(notes)?.[1] : undefined;
}

/** Whether a live app's committed, published content is the package of `sha256` (then nothing is uploaded). */
export function contentIsCurrent(live: Readonly<Record<string, unknown>>, sha256: string): boolean {
  return (
    noteSha256(live.notes) === sha256.toLowerCase() &&
    typeof live.committedContentVersion === "string" &&
    live.committedContentVersion !== "" &&
    live.publishingState === "published"
  );
}
