// A finding about one policy while compiling it, in policy-author terms: `path` is relative to the
// exported policy (`rules[1].protocol`); the compiler prefixes the export name and the file.

export interface PolicyProblem {
  path: string;
  message: string;
}
