import * as http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How the fake test listener answers: `idle` serves whatever release the idle slot holds (like the real test
 * listener), `error` answers 500, `slow` answers after `slowMs`, `fixed` answers `fixedVersion` whatever is deployed.
 */
export type ListenerMode = "idle" | "error" | "slow" | "fixed";

export interface TestListener {
  url: string;
  mode: ListenerMode;
  fixedVersion: string;
  slowMs: number;
  /** Host headers received, in order. */
  hosts: string[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 standing in for the load balancer's test listener. */
export async function testListener(idleVersion: () => string | null): Promise<TestListener> {
  const listener: Omit<TestListener, "url" | "close"> = { mode: "idle", fixedVersion: "", slowMs: 5_000, hosts: [] };
  const pending = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    listener.hosts.push(req.headers.host ?? "");
    const answer = (version: string | null) => {
      if (version) res.setHeader("x-app-version", version);
      res.end(`{"version":"${version ?? "none"}"}`);
    };
    if (listener.mode === "error") {
      res.statusCode = 500;
      res.end("internal error");
    } else if (listener.mode === "slow") {
      const version = idleVersion();
      const timer = setTimeout(() => {
        pending.delete(timer);
        answer(version);
      }, listener.slowMs);
      pending.add(timer);
    } else {
      answer(listener.mode === "fixed" ? listener.fixedVersion : idleVersion());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(listener, {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        // Slow answers still pending must neither outlive the test nor keep the worker alive.
        pending.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** A one-behaviour server for the smoke-test unit tests. */
export async function httpServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
