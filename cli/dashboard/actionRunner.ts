import { randomUUID } from "node:crypto";
import { runServiceAction, type ReleaseFlags } from "../release/actions";
import { EXIT } from "../release/errors";
import type { ReleaseEnvironment } from "../release/environment";
import type { ActionLog } from "./actionLog";
import { problemLine } from "./problems";
import type { DashboardWorld } from "./world";

/** The release steps the page offers: the same as `flipstack release <step>`. */
export const PAGE_ACTIONS = ["deploy", "verify", "promote", "rollback", "retire"] as const;
export type PageAction = (typeof PAGE_ACTIONS)[number];

export interface ActionRequest {
  stack: string;
  service: string;
  action: PageAction;
  who: string;
  version?: string;
  image?: string;
  ami?: string;
}

export type ActionEvent = { type: "line"; line: string } | { type: "done"; result: "done" | "failed" | "refused"; exitCode: number; summary: string };

/** An action that runs or ran: its output so far, for pages that open its stream late. */
export interface RunningAction {
  id: string;
  request: ActionRequest;
  startedAt: Date;
  events: ActionEvent[];
  finished: boolean;
  subscribe(listener: (event: ActionEvent) => void): () => void;
}

/** Another action of this dashboard holds the stack. */
export class StackBusyError extends Error {}

const resultOf = (code: number) => (code === 0 ? "done" : code === EXIT.refused ? "refused" : "failed");

/**
 * Runs release steps for the page, one per stack at a time (the stack's lock guards against every other client;
 * this only answers a second click at once instead of after a failed `pulumi up`). Every action is recorded.
 */
export class ActionRunner {
  private readonly actions = new Map<string, RunningAction>();
  private readonly busy = new Map<string, RunningAction>();

  constructor(
    private readonly world: DashboardWorld,
    private readonly log: ActionLog,
    private readonly onFinished: (action: RunningAction) => void = () => undefined,
  ) {}

  get(id: string): RunningAction | undefined {
    return this.actions.get(id);
  }

  /** The action holding a stack, if any. */
  holding(stack: string): RunningAction | undefined {
    return this.busy.get(stack);
  }

  start(request: ActionRequest): RunningAction {
    const holder = this.busy.get(request.stack);
    if (holder) {
      const { action, service, who } = holder.request;
      throw new StackBusyError(`stack ${request.stack} is busy: ${action} ${service} by ${who} since ${holder.startedAt.toISOString()}; wait for it to finish`);
    }
    const listeners = new Set<(event: ActionEvent) => void>();
    const running: RunningAction = {
      id: randomUUID(),
      request,
      startedAt: new Date(),
      events: [],
      finished: false,
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    const emit = (event: ActionEvent) => {
      running.events.push(event);
      listeners.forEach((l) => l(event));
    };
    this.actions.set(running.id, running);
    this.busy.set(request.stack, running);
    void this.run(running, emit);
    return running;
  }

  private async run(running: RunningAction, emit: (event: ActionEvent) => void): Promise<void> {
    const { request } = running;
    const print = (line: string) => emit({ type: "line", line });
    const environment: ReleaseEnvironment = {
      print,
      interactive: false,
      openContext: async (flags) => ({ ...(await this.world.openContext(flags)), log: print }),
    };
    const flags: ReleaseFlags = { stack: request.stack, service: request.service, version: request.version, image: request.image, ami: request.ami };
    const title = `${request.action}${request.version ? ` ${request.version}` : ""} ${request.service} on ${request.stack}`;
    let exitCode = 0;
    let reason: string | undefined;
    // The same step markers as `release run --ci`, so the page shows one list for every action.
    print(`▶ ${title}`);
    try {
      await runServiceAction(request.action, flags, environment);
      print(`✔ ${title}`);
    } catch (err) {
      exitCode = typeof (err as { exitCode?: unknown }).exitCode === "number" ? (err as { exitCode: number }).exitCode : EXIT.failed;
      reason = problemLine(err);
      print(`error: ${reason}`);
      print(`✖ ${title}`);
    }
    const live = [...running.events].reverse().find((e): e is { type: "line"; line: string } => e.type === "line" && e.line.startsWith("live: "));
    const summary = reason ? `${reason}${live ? `; ${live.line}` : ""}` : (live?.line ?? "done");
    const result = resultOf(exitCode);
    try {
      this.log.append({ at: running.startedAt.toISOString(), who: request.who, stack: request.stack, service: request.service, action: request.action, ...(request.version && { version: request.version }), result, exitCode, summary });
    } catch (err) {
      print(`warning: the action could not be recorded in ${this.log.file}: ${problemLine(err)}`);
    }
    running.finished = true;
    this.busy.delete(request.stack);
    emit({ type: "done", result, exitCode, summary });
    this.onFinished(running);
  }
}
