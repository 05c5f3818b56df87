import { serve, type ServerType } from "@hono/node-server";
import { Hono, type Context, type MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { getCookie, setCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { streamSSE } from "hono/streaming";
import { timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import { UsageError } from "../usageError";
import { PAGE_ACTIONS, StackBusyError, type ActionRunner, type PageAction } from "./actionRunner";
import type { Dashboard } from "./dashboard";
import { dashboardPage, historyPage, overviewTable, readAsset } from "./html";

export interface ServerOptions {
  host: string;
  port: number;
  /** Required unless bound to loopback; then every request needs it (a cookie set by `/?token=`, or a bearer header). */
  token?: string;
  readOnly: boolean;
  /** The URL people open when a proxy sits in front (its origin is then the only one allowed besides the bound one). */
  publicUrl?: string;
}

const COOKIE = "flipstack_dashboard_token";
const MIN_TOKEN_LENGTH = 16;

export const isLoopback = (host: string) => host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);

/** Refuses options that would expose the dashboard; nothing starts. */
export function checkServerOptions(options: ServerOptions): void {
  if (!isLoopback(options.host) && !options.token) {
    throw new UsageError(
      `--host ${options.host} makes the dashboard reachable from other machines: give it an access token with --token or FLIPSTACK_DASHBOARD_TOKEN (and keep it behind your SSO or VPN)`,
    );
  }
  if (options.token !== undefined && options.token.length < MIN_TOKEN_LENGTH) {
    throw new UsageError(`the dashboard token must be at least ${MIN_TOKEN_LENGTH} characters (e.g. \`openssl rand -hex 24\`)`);
  }
}

function sameSecret(given: string | undefined, token: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Who asked: the user your SSO proxy names, else the account that runs the dashboard (loopback only). */
function requester(c: Context, options: ServerOptions): string {
  const proxied = c.req.header("x-forwarded-user") ?? c.req.header("x-auth-request-user") ?? c.req.header("x-forwarded-email");
  if (proxied) return proxied.slice(0, 200);
  return options.token ? "token holder" : `${os.userInfo().username}@${os.hostname()}`;
}

export function dashboardApp(dashboard: Dashboard, runner: ActionRunner, options: ServerOptions & { refreshMs: number }): Hono {
  const app = new Hono();
  const allowedNames = new Set(["127.0.0.1", "localhost", "[::1]", options.host.includes(":") ? `[${options.host}]` : options.host, ...(options.publicUrl ? [new URL(options.publicUrl).hostname] : [])]);

  // A page on another site that resolves its own name to 127.0.0.1 (DNS rebinding) reaches the server with its own
  // Host header: answer only to the names the dashboard is meant to be reached by.
  const hostGuard: MiddlewareHandler = async (c, next) => {
    const name = (c.req.header("host") ?? "").replace(/:\d+$/, "");
    if (!allowedNames.has(name)) return c.text("flipstack dashboard: unknown Host header; open it by the address it printed at start", 421);
    return next();
  };

  const auth: MiddlewareHandler = async (c, next) => {
    const token = options.token;
    if (!token) return next();
    const query = c.req.query("token");
    if (query !== undefined && sameSecret(query, token)) {
      setCookie(c, COOKIE, token, { httpOnly: true, sameSite: "Strict", path: "/", secure: options.publicUrl?.startsWith("https:") ?? false });
      return c.redirect(new URL(c.req.url).pathname);
    }
    const bearer = c.req.header("authorization")?.replace(/^Bearer\s+/i, "");
    if (sameSecret(getCookie(c, COOKIE), token) || sameSecret(bearer, token)) return next();
    return c.json({ error: "a valid dashboard token is required: open the address with ?token=<token>, or send Authorization: Bearer <token>" }, 401);
  };

  app.use("*", hostGuard, auth);
  app.use(
    "*",
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'"], frameAncestors: ["'none'"], formAction: ["'self'"] },
      referrerPolicy: "no-referrer",
    }),
  );
  // Origin (or Sec-Fetch-Site) must be this dashboard's for every state change.
  app.use("/actions", csrf({ origin: (origin, c) => origin === new URL(c.req.url).origin || origin === (options.publicUrl && new URL(options.publicUrl).origin) }));

  app.get("/assets/dashboard.css", (c) => c.body(readAsset("dashboard.css"), 200, { "content-type": "text/css; charset=utf-8" }));
  app.get("/assets/dashboard.js", (c) => c.body(readAsset("dashboard.js"), 200, { "content-type": "text/javascript; charset=utf-8" }));

  app.get("/", (c) => c.html(dashboardPage(dashboard.overview(), { project: dashboard.world.project, readOnly: options.readOnly, refreshSeconds: options.refreshMs / 1000, problem: dashboard.problem })));
  app.get("/api/overview", (c) => c.json({ ...dashboard.overview(), problem: dashboard.problem ?? null }));

  app.get("/events", (c) =>
    streamSSE(c, async (stream) => {
      const send = () => stream.writeSSE({ event: "overview", data: overviewTable(dashboard.overview(), { readOnly: options.readOnly, history: true }).replace(/\n/g, " ") });
      const off = dashboard.onChange(() => void send());
      stream.onAbort(off);
      await send();
      while (!stream.aborted) await stream.sleep(options.refreshMs);
      off();
    }),
  );

  app.get("/history", async (c) => {
    const stack = c.req.query("stack") ?? "";
    const service = c.req.query("service") ?? "";
    if (!dashboard.snapshot(stack)) return c.html(historyPage(dashboard.world.project, stack, service, [], [], `no stack ${stack} in this project`), 404);
    const { releases, entries, problem } = await dashboard.history(stack, service);
    return c.html(historyPage(dashboard.world.project, stack, service, releases, entries, problem));
  });

  app.post("/actions", async (c) => {
    if (options.readOnly) return c.json({ error: "this dashboard is read-only (--read-only); release from the command line or a dashboard without it" }, 403);
    // Only form posts, which the same-origin check above covers; a JSON body would bypass it.
    if (!/^application\/x-www-form-urlencoded\b/.test(c.req.header("content-type") ?? "")) return c.json({ error: "send the action as a form (application/x-www-form-urlencoded)" }, 415);
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === "string" && form[name] !== "" ? (form[name] as string).trim() : undefined);
    const stack = field("stack");
    const service = field("service");
    const action = field("action");
    if (!stack || !service || !action || !(PAGE_ACTIONS as readonly string[]).includes(action)) {
      return c.json({ error: `an action needs a stack, a service and one of ${PAGE_ACTIONS.join(", ")}` }, 400);
    }
    const snapshot = dashboard.snapshot(stack);
    if (!snapshot) return c.json({ error: `no stack ${stack} in this project` }, 404);
    if (!snapshot.services.some(([name]) => name === service)) return c.json({ error: `stack ${stack} has no service ${service}` }, 404);
    if (snapshot.environment === "production" && field("confirm") !== service) {
      return c.json({ error: `${stack} is production: type the service name (${service}) to confirm` }, 400);
    }
    if (action === "deploy" && !field("version")) return c.json({ error: "deploy needs a version (a version or commit SHA)" }, 400);
    try {
      const running = runner.start({ stack, service, action: action as PageAction, who: requester(c, options), version: field("version"), image: field("image"), ami: field("ami") });
      return c.json({ id: running.id }, 202);
    } catch (err) {
      if (err instanceof StackBusyError) return c.json({ error: err.message }, 409);
      throw err;
    }
  });

  app.get("/actions/:id/events", (c) => {
    const running = runner.get(c.req.param("id"));
    if (!running) return c.json({ error: "no such action (the dashboard keeps actions until it restarts)" }, 404);
    return streamSSE(c, async (stream) => {
      const queue = [...running.events];
      let wake: (() => void) | undefined;
      const off = running.subscribe((event) => {
        queue.push(event);
        wake?.();
      });
      stream.onAbort(() => wake?.());
      try {
        for (;;) {
          const event = queue.shift();
          if (event) {
            await stream.writeSSE(event.type === "line" ? { event: "line", data: event.line } : { event: "done", data: JSON.stringify(event) });
            if (event.type === "done") break;
          } else if (stream.aborted) break;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      } finally {
        off();
      }
    });
  });

  app.onError((err, c) => {
    if (err instanceof HTTPException) return c.json({ error: err.status === 403 ? "refused: the request did not come from this dashboard's page (origin check)" : err.message }, err.status);
    return c.json({ error: err.message.split("\n")[0] }, 500);
  });
  return app;
}

export interface RunningServer {
  url: string;
  server: ServerType;
  close(): Promise<void>;
}

/** Listens; resolves once the port is bound (port 0 picks a free one). */
export function listen(app: Hono, options: ServerOptions): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      const host = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${host}:${info.port}/`,
        server,
        // Event streams stay open for as long as a page does: end them, or close would wait for every tab.
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            (server as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(err.code === "EADDRINUSE" ? new UsageError(`port ${options.port} on ${options.host} is in use; pick another with --port`) : err),
    );
  });
}
