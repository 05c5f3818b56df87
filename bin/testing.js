// `flipstack/testing`: the CLI's offline planning for other repositories' tests. Like the `flipstack` command it is
// TypeScript loaded through sucrase, so the programs it plans may be TypeScript too.
require("./loadTypeScript").register();
module.exports = require("../cli/testing.ts");
