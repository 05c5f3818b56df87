// Tests run on whatever Node the machine has. The CLI's one-line notice about an unsupported Node would add a line
// to every command's stderr there; it has its own tests (test/cli/nodeSupport.test.ts), which unset this. Set once
// in the parent process, before any worker starts, so that every worker and every spawned command inherits it.
export default function globalSetup(): void {
  process.env.FLIPSTACK_IGNORE_NODE_VERSION ??= "1";
}
