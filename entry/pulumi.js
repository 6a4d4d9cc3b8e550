// `wslpolicy/pulumi`: the Intune dynamic resources and the operations the provider text in Pulumi state loads.
module.exports = require("./load")("pulumi/index");
