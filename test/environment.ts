// Tests run on whatever Node the machine has. The CLI's one-line notice about an unsupported Node would add a line
// to every command's stderr there; it has its own tests (test/cli/nodeSupport.test.ts), which unset this.
process.env.FLIPSTACK_IGNORE_NODE_VERSION ??= "1";
