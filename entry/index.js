// `wslpolicy`: what policy files import (builders and targets). Types: dist/index.d.ts.
module.exports = require("./load")("index");
