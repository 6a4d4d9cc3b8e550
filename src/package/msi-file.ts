// An MSI on disk: its facts (msi-facts.ts) and its SHA-256, the identity a policy pins it by.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createHash } from "node:crypto";
import { readMsiFacts, type MsiFacts } from "./msi-facts";

export async function readMsiFile(file: string, label = file): Promise<MsiFacts> {
  // An MSI's tables are small next to its cabinets, but CFB needs random access: the file is read whole.
  return readMsiFacts(await readFile(file), label);
}

/** Lower-case hex SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
