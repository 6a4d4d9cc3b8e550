// wslUserSettings → the detection and remediation scripts (user context, 64-bit Windows PowerShell 5.1).
// They carry MANAGED_WSLCONFIG_KEYS (./merge.ts) as data and the same steps as effectiveValues and
// mergeWslConfig. DefaultVersion is HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss DefaultVersion
// (REG_DWORD; absent means 2: microsoft/WSL src/windows/common/wslutil.cpp GetDefaultVersion).
// Never `wsl --shutdown`: a change applies at the next start of the WSL VM. Detection exits 1 when a
// managed value differs (the remediation then runs: learn.microsoft.com/mem/intune/fundamentals/remediations),
// writes one short line to stdout and nothing to stderr.
import { psBool, psString, scriptText } from "../powershell/literal";
import { MANAGED_WSLCONFIG_KEYS } from "./merge";

export interface UserSettingsInput {
  /** Managed `.wslconfig` keys → value. */
  wslconfig: Readonly<Record<string, boolean>>;
  defaultVersion?: 2;
}

/** The table as PowerShell data: `@{ Name = '…'; Sections = @('wsl2','experimental'); Default = …; Value = … }`. */
export function managedKeysData(input: UserSettingsInput): string[] {
  const rows = MANAGED_WSLCONFIG_KEYS.filter((k) => k.name in input.wslconfig).map(
    (k) =>
      `  @{ Name = ${psString(k.name)}; Sections = @(${k.sections.map(psString).join(", ")}); Default = ${psBool(k.default)}; Value = ${psBool(input.wslconfig[k.name]!)} }`,
  );
  return ["$managed = @(", rows.join(",\n"), ")", `$defaultVersion = ${input.defaultVersion ?? 0}`];
}

const COMMON = [
  "$ErrorActionPreference = 'Stop'",
  "$path = Join-Path $env:USERPROFILE '.wslconfig'",
  "$lxss = 'HKCU:\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss'",
  "function Read-Bool([string]$raw) {",
  "  $v = ($raw -replace '#.*$', '').Trim().Trim('\"').ToLowerInvariant()",
  "  if ($v -eq 'true' -or $v -eq '1') { return $true }",
  "  if ($v -eq 'false' -or $v -eq '0') { return $false }",
  "  return $null",
  "}",
  "function Get-Lines {",
  "  if (-not (Test-Path -LiteralPath $path)) { return @() }",
  "  $text = [IO.File]::ReadAllText($path)",
  "  if ($text -eq '') { return @() }",
  "  $lines = @($text -split '\\r?\\n')",
  "  if ($lines.Count -gt 0 -and $lines[$lines.Count - 1] -eq '') { $lines = @($lines | Select-Object -First ($lines.Count - 1)) }",
  "  return $lines",
  "}",
  "function Find-Managed([string]$key, [string]$section) {",
  "  foreach ($m in $managed) { if ($m.Name -ieq $key -and $m.Sections -contains $section) { return $m } }",
  "  return $null",
  "}",
  "function Get-Effective {",
  "  $found = @{}",
  "  $section = ''",
  "  foreach ($line in (Get-Lines)) {",
  "    if ($line -match '^\\s*\\[([^\\]]*)\\]') { $section = $Matches[1].Trim().ToLowerInvariant(); continue }",
  "    if ($line -match '^\\s*([A-Za-z0-9_.]+)\\s*=(.*)$') {",
  "      $m = Find-Managed $Matches[1] $section",
  "      if ($null -eq $m -or $found.ContainsKey($m.Name)) { continue }",
  "      $value = Read-Bool $Matches[2]",
  "      if ($null -ne $value) { $found[$m.Name] = $value }",
  "    }",
  "  }",
  "  foreach ($m in $managed) { if (-not $found.ContainsKey($m.Name)) { $found[$m.Name] = $m.Default } }",
  "  return $found",
  "}",
  "function Get-Differences {",
  "  $diff = @()",
  "  $effective = Get-Effective",
  "  foreach ($m in $managed) { if ($effective[$m.Name] -ne $m.Value) { $diff += ($m.Name + '=' + $effective[$m.Name]) } }",
  "  if ($defaultVersion -ne 0) {",
  "    $current = (Get-ItemProperty -Path $lxss -Name DefaultVersion -ErrorAction SilentlyContinue).DefaultVersion",
  "    if ($null -ne $current -and $current -ne $defaultVersion) { $diff += ('DefaultVersion=' + $current) }",
  "  }",
  "  return $diff",
  "}",
];

export function detectionScript(input: UserSettingsInput): string {
  return scriptText([
    "# wslpolicy: detects WSL user settings that differ from the policy (user settings, not enforcement).",
    ...managedKeysData(input),
    ...COMMON,
    "try {",
    "  $diff = @(Get-Differences)",
    "  if ($diff.Count -gt 0) { Write-Output ('user settings differ: ' + ($diff -join ', ')); exit 1 }",
    "  Write-Output 'user settings as managed'",
    "  exit 0",
    "} catch {",
    "  Write-Output ('user settings not checked: ' + $_.Exception.Message)",
    "  exit 0",
    "}",
  ]);
}

export function remediationScript(input: UserSettingsInput): string {
  return scriptText([
    "# wslpolicy: restores WSL user settings (keeps every unmanaged line of .wslconfig). It does not stop WSL:",
    "# the change applies at the next start of WSL.",
    ...managedKeysData(input),
    ...COMMON,
    "function Get-Merged {",
    "  $entries = @($managed | ForEach-Object { $_.Name + '=' + $(if ($_.Value) { 'true' } else { 'false' }) })",
    "  $out = New-Object System.Collections.Generic.List[string]",
    "  $section = ''",
    "  $inserted = $false",
    "  foreach ($line in (Get-Lines)) {",
    "    if ($line -match '^\\s*\\[([^\\]]*)\\]') {",
    "      $section = $Matches[1].Trim().ToLowerInvariant()",
    "      $out.Add($line)",
    "      if ($section -eq 'wsl2' -and -not $inserted) { foreach ($e in $entries) { $out.Add($e) }; $inserted = $true }",
    "      continue",
    "    }",
    "    if ($line -match '^\\s*([A-Za-z0-9_.]+)\\s*=') { if ($null -ne (Find-Managed $Matches[1] $section)) { continue } }",
    "    $out.Add($line)",
    "  }",
    "  if (-not $inserted) { $out.InsertRange(0, [string[]](@('[wsl2]') + $entries)) }",
    '  $eol = "`n"',
    '  if ((Test-Path -LiteralPath $path) -and ([IO.File]::ReadAllText($path)).Contains("`r`n")) { $eol = "`r`n" }',
    "  return (($out -join $eol) + $eol)",
    "}",
    "try {",
    "  $before = @(Get-Differences)",
    "  if ($managed.Count -gt 0) {",
    "    $temp = $path + '.wslpolicy-tmp'",
    "    [IO.File]::WriteAllText($temp, (Get-Merged), (New-Object System.Text.UTF8Encoding $false))",
    "    Move-Item -LiteralPath $temp -Destination $path -Force",
    "  }",
    "  if ($defaultVersion -ne 0) {",
    "    if (-not (Test-Path -Path $lxss)) { New-Item -Path $lxss -Force | Out-Null }",
    "    New-ItemProperty -Path $lxss -Name DefaultVersion -PropertyType DWord -Value $defaultVersion -Force | Out-Null",
    "  }",
    "  Write-Output ('user settings restored (' + ($before -join ', ') + '); applies at the next WSL start')",
    "  exit 0",
    "} catch {",
    "  Write-Output ('user settings not restored: ' + $_.Exception.Message)",
    "  exit 1",
    "}",
  ]);
}
