module.exports = () => require("wslpolicy/program").runStack(require("node:path").resolve(__dirname, ".."));
