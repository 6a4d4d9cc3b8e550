// An offline PowerShell parser for the tests: tree-sitter-powershell's grammar (its shipped .wasm) run by
// web-tree-sitter, with no native build and no pwsh. A script "parses" when the tree has no ERROR or
// MISSING node. Windows PowerShell 5.1 lacks PowerShell 7's `??`, `?.`, ternary `a ? b : c` and the
// `&&`/`||` pipeline chains (about_Operators,
// learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_operators);
// the grammar rejects the first ones, and syntaxProblems also names them by their tokens.
import { Language, Parser, type Node } from "web-tree-sitter";

let parser: Parser | undefined;

async function powershell(): Promise<Parser> {
  if (!parser) {
    await Parser.init();
    const language = await Language.load(require.resolve("tree-sitter-powershell/tree-sitter-powershell.wasm"));
    parser = new Parser();
    parser.setLanguage(language);
  }
  return parser;
}

function errorNodes(node: Node, out: string[]): void {
  if (node.isError || node.isMissing)
    out.push(
      `${node.isMissing ? "missing" : "unexpected"} '${node.text.slice(0, 40)}' at line ${node.startPosition.row + 1}`,
    );
  for (const child of node.children) if (child) errorNodes(child, out);
}

/** Parse errors, and PowerShell 7-only operators found outside strings and comments. */
export async function syntaxProblems(script: string): Promise<string[]> {
  const tree = (await powershell()).parse(script);
  if (!tree) return ["the parser returned no tree"];
  const problems: string[] = [];
  errorNodes(tree.rootNode, problems);
  const code = tree.rootNode
    .descendantsOfType([
      "comment",
      "verbatim_string_characters",
      "expandable_string_literal",
      "verbatim_string_literal",
      "string_literal",
    ])
    .reduce((text, n) => (n ? text.replace(n.text, " ".repeat(n.text.length)) : text), script);
  for (const op of ["??", "?.", "&&", "||"])
    if (code.includes(op)) problems.push(`uses '${op}', which Windows PowerShell 5.1 does not have`);
  tree.delete();
  return problems;
}
