// ESLint flat config: typescript-eslint's recommended rules, strict about `any` at boundaries.
const { readFileSync } = require("node:fs");
const js = require("@eslint/js");
const tseslint = require("typescript-eslint");

/** Files Prettier leaves alone (.prettierignore, one path a line): the line-length limit leaves them alone too. */
const unformatted = readFileSync(`${__dirname}/.prettierignore`, "utf8")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#") && /\.(ts|js|mts|cjs)$/.test(line));

module.exports = tseslint.config(
  { ignores: ["node_modules/", "dist/", "out/", "coverage/", "**/*.json"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Prettier wraps code at 120 columns; comments, strings and URLs are wrapped by hand.
    files: ["**/*.ts", "**/*.js", "**/*.mts"],
    ignores: unformatted,
    rules: {
      "max-len": [
        "error",
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
  {
    files: ["**/*.js"],
    languageOptions: {
      sourceType: "commonjs",
      globals: {
        require: "readonly",
        module: "writable",
        process: "readonly",
        __dirname: "readonly",
        console: "readonly",
      },
    },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
