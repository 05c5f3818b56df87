import { parseDuration } from "../release/duration";
import { realEnvironment } from "../release/environment";
import { requirePulumi } from "../release/workspace";
import { UsageError } from "../usageError";
import { ActionLog } from "./actionLog";
import { ActionRunner } from "./actionRunner";
import { Dashboard } from "./dashboard";
import { staticReport } from "./html";
import { checkServerOptions, dashboardApp, listen, type RunningServer, type ServerOptions } from "./server";
import { automationWorld, type DashboardWorld } from "./world";

export interface StartOptions extends ServerOptions {
  workDir: string;
  /** e.g. `15s`. */
  refresh: string;
  /** The tests' world (fake `pulumi`, mocked AWS); the real CLI and AWS otherwise. */
  world?: DashboardWorld;
}

/** The real world: the Pulumi CLI on PATH and AWS clients in each stack's region, as `flipstack release` has them. */
export function realWorld(workDir: string): DashboardWorld {
  return automationWorld({ workDir, pulumi: () => requirePulumi(), openContext: realEnvironment().openContext });
}

/** Checks the options (nothing starts on bad ones), reads every stack once, then serves and keeps reading. */
export async function startDashboard(options: StartOptions): Promise<RunningServer> {
  checkServerOptions(options);
  const refreshMs = parseDuration(options.refresh, "--refresh");
  if (refreshMs < 1000) throw new UsageError("--refresh must be at least 1s");
  const world = options.world ?? realWorld(options.workDir);
  const dashboard = new Dashboard(world, ActionLog.inProject(world.workDir), { refreshMs });
  const runner = new ActionRunner(world, dashboard.log, (action) => void dashboard.refreshStack(action.request.stack));
  await dashboard.refresh();
  const running = await listen(dashboardApp(dashboard, runner, { ...options, refreshMs }), options);
  const timer = setInterval(() => void dashboard.refresh(), refreshMs);
  return {
    ...running,
    close: () => {
      clearInterval(timer);
      return running.close();
    },
  };
}

/** `flipstack status`: every stack read once, as text, JSON or the self-contained HTML report. */
export async function statusReport(workDir: string, format: "text" | "html" | "json", world: DashboardWorld = realWorld(workDir)): Promise<string> {
  const dashboard = new Dashboard(world, ActionLog.inProject(world.workDir), { refreshMs: 60_000 });
  await dashboard.refresh();
  if (dashboard.problem) throw new UsageError(`cannot list the stacks: ${dashboard.problem}`, 1);
  const view = dashboard.overview();
  if (format === "html") return staticReport(view, world.project, dashboard.now());
  if (format === "json") return `${JSON.stringify(view, null, 2)}\n`;
  const lines = view.columns.flatMap((column) => [
    `${column.stack} (${column.environment})${column.problem ? `: ${column.problem}` : ""}`,
    ...view.rows.flatMap((row) => {
      const cell = row.cells[column.stack];
      if (!cell) return [];
      const idle = cell.idle ? `idle ${cell.idle.color} ${cell.idle.version ?? "(empty)"}` : "no idle slot";
      const shift = cell.weight > 0 ? `, shifting ${cell.weight}% to the idle slot` : "";
      return [`  ${row.service}: live ${cell.live.color} ${cell.live.version ?? "(no release)"}, ${idle}${shift}, phase ${cell.phase ?? "-"}, alarms ${cell.alarm.state}`];
    }),
  ]);
  return `${lines.join("\n")}\n`;
}
