// Bundled in place of node:child_process: commander requires it at load time for executable
// subcommands, which sysemu has none of, and loading it pulls in net and streams (several ms of
// every start-up). The real module is loaded on first use.
let real;
module.exports = new Proxy({}, { get: (_, key) => (real ??= require("child_process"))[key] });
