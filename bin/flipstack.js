#!/usr/bin/env node
// The flipstack command. The CLI is TypeScript, loaded through sucrase: no build step between `npm ci` and use.
require("./loadTypeScript").register();

// Before the Pulumi SDK is loaded: what it needs only to serialise functions loads when first used.
require("../cli/deferSdkModules.ts").deferSdkModules();

// Before any AWS SDK client exists: the SDK's nine-line Node warning becomes one line of Flipstack's.
require("../cli/nodeSupport.ts").prepareNode(process, require("../package.json").engines?.node);

const { main, reportError } = require("../cli/main.ts");

// Exit only once stdout and stderr are flushed: writes to a pipe are asynchronous, and exiting early would cut
// a large plan short for `flipstack plan --format json | jq`.
function exit(code) {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

// Pulumi reports failed resource registrations as unhandled rejections; give them the same clean output.
process.on("unhandledRejection", (err) => exit(reportError(err)));
main(process.argv.slice(2)).then(exit);
