// printable: a tenant string made safe to print on one line of a terminal, and nothing else changed.
import { describe, expect, it } from "vitest";
import { printable, printableDeep } from "../../src/model";

describe("printable", () => {
  it("leaves ordinary text alone, accents, dashes and emoji included", () => {
    expect(printable("Win - WSL – Entwickler (Zürich) ✔ 🐧")).toBe("Win - WSL – Entwickler (Zürich) ✔ 🐧");
  });

  it("shows every kind of line break, and runs of them, as one ⏎", () => {
    expect(printable("a\nb\r\nc\rd\u2028e\u2029f\u0085g\n\n\nh")).toBe("a ⏎ b ⏎ c ⏎ d ⏎ e ⏎ f ⏎ g ⏎ h");
  });

  it("shows ESC, BEL, C1 controls, DEL and bidi overrides as code points", () => {
    expect(printable("\u001b]0;t\u0007\u009b2J\u007f\u202eabc\u2066")).toBe(
      "\\u{001b}]0;t\\u{0007}\\u{009b}2J\\u{007f}\\u{202e}abc\\u{2066}",
    );
    expect(printable("a\tb")).toBe("a\\tb");
  });

  it("reaches every string of a nested value, keys too, and keeps other values", () => {
    expect(printableDeep({ "k\u001b": ["x\ny", 1, null, { z: "\u0007" }], n: true })).toEqual({
      "k\\u{001b}": ["x ⏎ y", 1, null, { z: "\\u{0007}" }],
      n: true,
    });
  });
});
