#!/usr/bin/env node
// The flipstack command. The CLI is TypeScript, loaded through sucrase: no build step between `npm ci` and use.
require("./loadTypeScript").register();

const { main, reportError } = require("../cli/main.ts");

// Pulumi reports failed resource registrations as unhandled rejections; give them the same clean output.
process.on("unhandledRejection", (err) => process.exit(reportError(err)));
main(process.argv.slice(2)).then((code) => process.exit(code));
