import { historyEntries, ledgerReleases, type HistoryEntry } from "./history";
import { overview, type Overview } from "./overview";
import { problemLine } from "./problems";
import { readSnapshot, type StackSnapshot } from "./snapshot";
import type { ActionLog } from "./actionLog";
import type { DashboardWorld } from "./world";

/**
 * What the page shows, kept current: every stack of the project read one after another (each read is a few
 * `pulumi` invocations), the last good data kept and marked stale when a read fails.
 */
export class Dashboard {
  private snapshots = new Map<string, StackSnapshot>();
  /** Why the stacks could not be listed (no Pulumi CLI, not logged in): one line for the whole page. */
  problem: string | undefined;
  private listeners = new Set<() => void>();
  private refreshing: Promise<void> | undefined;

  constructor(
    readonly world: DashboardWorld,
    readonly log: ActionLog,
    private readonly options: { refreshMs: number; now?: () => number },
  ) {}

  now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** Reads every stack again; concurrent calls share one refresh. */
  refresh(): Promise<void> {
    return (this.refreshing ??= this.readAll().finally(() => {
      this.refreshing = undefined;
      this.listeners.forEach((l) => l());
    }));
  }

  private async readAll(): Promise<void> {
    let stacks: string[];
    try {
      stacks = await this.world.listStacks();
      this.problem = undefined;
    } catch (err) {
      this.problem = problemLine(err);
      return;
    }
    for (const gone of [...this.snapshots.keys()].filter((s) => !stacks.includes(s))) this.snapshots.delete(gone);
    for (const stack of stacks) this.snapshots.set(stack, await readSnapshot(this.world, stack, this.now(), this.snapshots.get(stack)));
  }

  /** Re-reads one stack, after an action on it. */
  async refreshStack(stack: string): Promise<void> {
    this.snapshots.set(stack, await readSnapshot(this.world, stack, this.now(), this.snapshots.get(stack)));
    this.listeners.forEach((l) => l());
  }

  snapshot(stack: string): StackSnapshot | undefined {
    return this.snapshots.get(stack);
  }

  overview(): Overview {
    // Data older than two refreshes is stale: a refresh is overdue or hangs.
    return overview([...this.snapshots.values()], this.now(), 2 * this.options.refreshMs);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A service's history: the releases its ledger holds, and the stack's updates with the dashboard's actions. */
  async history(stack: string, service: string): Promise<{ releases: Array<{ role: string; version: string }>; entries: HistoryEntry[]; problem?: string }> {
    const ledger = this.snapshots.get(stack)?.services.find(([name]) => name === service)?.[1];
    const releases = ledger ? ledgerReleases(ledger) : [];
    const actions = this.log.read();
    try {
      return { releases, entries: historyEntries(this.world.project, stack, service, await this.world.history(stack), actions) };
    } catch (err) {
      return { releases, entries: historyEntries(this.world.project, stack, service, [], actions), problem: `the stack's update history could not be read: ${problemLine(err)}` };
    }
  }
}
