// `wslpolicy/program`: the Pulumi program of a platform repo (`runStack(projectRoot)`), handed over to by
// the one-line program file that `wslpolicy init` writes.
module.exports = require("./load")("pulumi/run-stack");
