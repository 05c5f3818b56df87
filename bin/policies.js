// `flipstack/policies`: the policy pack's rules, for a pack of a repository's own (`new PolicyPack(name, { policies:
// allRules })`). TypeScript loaded through sucrase, like the `flipstack` command.
require("./loadTypeScript").register();
module.exports = require("../policies/rules/index.ts");
