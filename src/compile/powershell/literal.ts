// PowerShell literals for generated scripts. Scripts stay ASCII (Windows PowerShell 5.1 reads a file
// without BOM in the ANSI code page) and carry data as base64 or single-quoted strings, in which only
// `'` needs doubling (about_Quoting_Rules,
// learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_quoting_rules).
export function psString(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text))
    throw new Error(`a PowerShell literal must be printable ASCII: ${JSON.stringify(text)}`);
  return `'${text.replace(/'/g, "''")}'`;
}

export function psBool(value: boolean): string {
  return value ? "$true" : "$false";
}

/** Lines joined with CRLF-free LF and a final newline, checked ASCII (Intune: "UTF-8 not UTF-8 BOM"). */
export function scriptText(lines: readonly string[]): string {
  const text = `${lines.join("\n")}\n`;
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code !== 9 && code !== 10 && (code < 0x20 || code > 0x7e))
      throw new Error("a generated script must be printable ASCII");
  }
  return text;
}
