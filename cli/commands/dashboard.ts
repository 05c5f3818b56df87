import { Command, Option } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as DashboardModules from "../dashboard/start";
import { UsageError } from "../usageError";

// The server and the Automation API load only when these commands run, so that `flipstack plan` starts fast.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const modules = () => require("../dashboard/start") as typeof DashboardModules;

interface DashboardFlags {
  cwd?: string;
  host: string;
  port: string;
  token?: string;
  readOnly?: boolean;
  refresh: string;
  publicUrl?: string;
}

export function dashboardCommand(): Command {
  return new Command("dashboard")
    .description("Serve a web page with every stack's live releases, their history, and buttons for the release steps")
    .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
    .option("--host <address>", "address to listen on; anything but loopback needs --token", "127.0.0.1")
    .option("-p, --port <n>", "port to listen on (0: any free port)", "4600")
    .option("--token <secret>", "access token every request must carry (default: FLIPSTACK_DASHBOARD_TOKEN)")
    .option("--read-only", "show releases and history only, without the action buttons")
    .option("--refresh <duration>", "how often to read the stacks again", "15s")
    .option("--public-url <url>", "the address people open, when a proxy (your SSO) sits in front of the dashboard")
    .addHelpText(
      "after",
      `
Needs the Pulumi CLI (logged in to the stacks' backend) and AWS credentials for alarm states and releases.

Examples:
  $ flipstack dashboard
  $ FLIPSTACK_DASHBOARD_TOKEN=$(openssl rand -hex 24) flipstack dashboard --host 0.0.0.0 --public-url https://releases.example.com --read-only`,
    )
    .action(async (flags: DashboardFlags) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a port number from 0 to 65535, not ${JSON.stringify(flags.port)}`);
      if (flags.publicUrl !== undefined && !/^https?:\/\/[^/]+/.test(flags.publicUrl)) throw new UsageError(`--public-url must be an http(s) address, not ${JSON.stringify(flags.publicUrl)}`);
      const running = await modules().startDashboard({
        workDir: path.resolve(flags.cwd ?? process.cwd()),
        host: flags.host,
        port,
        token: flags.token ?? process.env.FLIPSTACK_DASHBOARD_TOKEN,
        readOnly: flags.readOnly ?? false,
        refresh: flags.refresh,
        publicUrl: flags.publicUrl,
      });
      process.stdout.write(`flipstack dashboard: ${running.url}${flags.readOnly ? " (read-only)" : ""}; Ctrl-C stops it\n`);
      await new Promise<void>((resolve) => process.once("SIGINT", resolve).once("SIGTERM", resolve));
      await running.close();
    });
}

const STATUS_FORMATS = ["text", "html", "json"] as const;

export function statusCommand(): Command {
  return new Command("status")
    .description("Show what is live on every stack of the project (text, JSON, or one self-contained HTML file)")
    .option("-C, --cwd <dir>", "folder of the Pulumi project (with Pulumi.yaml)")
    .addOption(new Option("-f, --format <format>", "output format").choices(STATUS_FORMATS).default("text"))
    .option("-o, --out <file>", "write to a file instead of standard output")
    .addHelpText("after", "\nExamples:\n  $ flipstack status\n  $ flipstack status --format html --out release-status.html")
    .action(async (flags: { cwd?: string; format: (typeof STATUS_FORMATS)[number]; out?: string }) => {
      if (flags.out && !fs.existsSync(path.dirname(path.resolve(flags.out)))) throw new UsageError(`--out ${flags.out}: the folder ${path.dirname(flags.out)} does not exist`);
      const text = await modules().statusReport(path.resolve(flags.cwd ?? process.cwd()), flags.format);
      if (flags.out) fs.writeFileSync(flags.out, text);
      else process.stdout.write(text);
    });
}
