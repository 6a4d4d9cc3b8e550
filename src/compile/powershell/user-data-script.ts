// The platform script (user context, 64-bit Windows PowerShell 5.1) that puts the compiled user-data
// into `%USERPROFILE%\.cloud-init\`. It writes the exact bytes from base64 ([IO.File]::WriteAllBytes:
// Set-Content -Encoding UTF8 would add a BOM), through a temporary file and a move. A file of the same
// name without wslpolicy's header line is the user's own: it is left alone unless the policy says
// `overwriteUserFile`. More specific files the user made (`<InstanceName>.user-data` shadows every
// generic name) are reported, never deleted. Output is one line; the exit code is 0 on success.
import { secretSlotLine } from "../../intune";
import type { UserDataSecret } from "../cloud-init/user-data";
import { psBool, psString, scriptText } from "./literal";

export interface UserDataScriptInput {
  fileName: string;
  /** The user-data bytes as base64. */
  contentBase64: string;
  /** How the header line of wslpolicy's own files begins. */
  header: string;
  overwriteUserFile: boolean;
  /** Secrets whose stand-in text in the user-data is replaced on the device by the slot's value. */
  secrets: readonly UserDataSecret[];
}

export function userDataScript(input: UserDataScriptInput): string {
  return scriptText([
    "# wslpolicy: writes cloud-init provisioning input for new WSL distributions. Not enforcement:",
    "# cloud-init reads it once, at a distribution's first boot, and the user can change it.",
    "$ErrorActionPreference = 'Stop'",
    `$fileName = ${psString(input.fileName)}`,
    `$header = ${psString(input.header)}`,
    `$overwriteUserFile = ${psBool(input.overwriteUserFile)}`,
    `$bytes = [Convert]::FromBase64String(${psString(input.contentBase64)})`,
    ...secretLines(input.secrets),
    "try {",
    "  $dir = Join-Path $env:USERPROFILE '.cloud-init'",
    "  if (-not (Test-Path -LiteralPath $dir)) { New-Item -ItemType Directory -Path $dir | Out-Null }",
    "  $target = Join-Path $dir $fileName",
    "  $others = @(Get-ChildItem -LiteralPath $dir -Filter '*.user-data' | Where-Object { $_.Name -ne $fileName } | ForEach-Object { $_.Name })",
    "  if (Test-Path -LiteralPath $target) {",
    "    $existing = [IO.File]::ReadAllText($target)",
    "    if (-not $existing.Contains($header) -and -not $overwriteUserFile) {",
    '      Write-Output ("provisioning input not written: " + $fileName + " is the user\'s own file")',
    "      exit 0",
    "    }",
    "  }",
    "  $temp = $target + '.wslpolicy-tmp'",
    "  [IO.File]::WriteAllBytes($temp, $bytes)",
    "  Move-Item -LiteralPath $temp -Destination $target -Force",
    "  $note = ''",
    "  if ($others.Count -gt 0) { $note = '; other user-data files may take precedence: ' + ($others -join ', ') }",
    "  Write-Output ('provisioning input present: ' + $fileName + $note)",
    "  exit 0",
    "} catch {",
    "  Write-Output ('provisioning input not written: ' + $_.Exception.Message)",
    "  exit 1",
    "}",
  ]);
}

/**
 * One slot per secret (src/intune/script-secrets.ts: the writer puts the value in, plans show its
 * fingerprint), then the stand-ins replaced and the bytes made again (UTF-8, no BOM).
 */
function secretLines(secrets: readonly UserDataSecret[]): string[] {
  if (secrets.length === 0) return [];
  return [
    ...secrets.map((x) => secretSlotLine(x.variable, x.env, x.field)),
    "$text = [Text.Encoding]::UTF8.GetString($bytes)",
    ...secrets.map((x) => `$text = $text.Replace(${psString(x.standIn)}, $${x.variable})`),
    "$bytes = (New-Object System.Text.UTF8Encoding $false).GetBytes($text)",
  ];
}
