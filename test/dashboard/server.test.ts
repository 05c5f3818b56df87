import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { startDashboard } from "../../cli/dashboard/start";
import type { RunningServer } from "../../cli/dashboard/server";
import { statusReport } from "../../cli/dashboard/start";
import { apiAt, dashboardFixture, type DashboardFixture } from "./harness";

const TOKEN = "s3cret-dashboard-token-0123";
const FLIPSTACK = path.join(__dirname, "..", "..", "bin", "flipstack.js");
const form = (fields: Record<string, string>) => ({ method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() });

/** Waits for an action's stream to end; resolves to its events as `event: data` lines. */
async function actionEvents(url: string, id: string, headers: Record<string, string> = {}): Promise<string[]> {
  const text = await (await fetch(`${url}actions/${id}/events`, { headers })).text();
  return text.split("\n\n").filter(Boolean).map((block) => {
    const event = /^event: (.*)$/m.exec(block)?.[1];
    const data = block.split("\n").filter((l) => l.startsWith("data: ")).map((l) => l.slice(6)).join("\n");
    return `${event}: ${data}`;
  });
}

describe("flipstack dashboard over HTTP", () => {
  let f: DashboardFixture;
  let open: RunningServer;
  let guarded: RunningServer;
  beforeAll(async () => {
    f = await dashboardFixture({ staging: apiAt("verified"), production: apiAt("verified") }, { databasePassword: "hunter2-very-secret" });
    open = await startDashboard({ workDir: f.dir, world: f.world, host: "127.0.0.1", port: 0, readOnly: false, refresh: "1h" });
    guarded = await startDashboard({ workDir: f.dir, world: f.world, host: "127.0.0.1", port: 0, readOnly: true, refresh: "1h", token: TOKEN });
  });
  afterAll(async () => {
    await open.close();
    await guarded.close();
    f.cleanup();
  });

  it("serves the overview with every stack and never a secret output", async () => {
    const page = await (await fetch(open.url)).text();
    expect(page).toContain('<span class="stack">production</span>');
    expect(page).toContain('<span class="stack">staging</span>');
    expect(page).not.toContain("hunter2");
    const json = (await (await fetch(`${open.url}api/overview`)).json()) as { rows: Array<{ cells: Record<string, { live: { version: string } }> }> };
    expect(json.rows[0].cells.staging.live.version).toBe("1.0.0");
    expect(JSON.stringify(json)).not.toContain("hunter2");
  });

  it("answers only to its own host names (no DNS rebinding)", async () => {
    // fetch() does not let a caller set Host; a plain request does, as a rebinding page's browser would.
    const status = (host: string) =>
      new Promise<number>((resolve, reject) => http.get(open.url, { headers: { host } }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on("error", reject));
    expect(await status("evil.example.com:4600")).toBe(421);
    expect(await status(new URL(open.url).host)).toBe(200);
    expect(await status(`localhost:${new URL(open.url).port}`)).toBe(200);
  });

  it("refuses a state change from another origin, and a JSON body that the origin check would not cover", async () => {
    const crossSite = await fetch(`${open.url}actions`, { ...form({ stack: "staging", service: "api", action: "promote" }), headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://evil.example.com" } });
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { error: string }).error).toMatch(/origin check/);
    const json = await fetch(`${open.url}actions`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ stack: "staging", service: "api", action: "promote" }) });
    expect(json.status).toBe(415);
    expect(f.live("staging")).toBe("green 1.0.0");
  });

  it("refuses a production action without the service name typed as confirmation, and changes nothing", async () => {
    const response = await fetch(`${open.url}actions`, { ...form({ stack: "production", service: "api", action: "promote" }), headers: { "content-type": "application/x-www-form-urlencoded", origin: open.url.slice(0, -1) } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe("production is production: type the service name (api) to confirm");
    expect(f.live("production")).toBe("green 1.0.0");
  });

  it("runs promote on staging, streams its steps and output, records it, and answers a second action on the stack with busy", async () => {
    const headers = { "content-type": "application/x-www-form-urlencoded", origin: open.url.slice(0, -1), "x-forwarded-user": "alice@example.com" };
    const started = await fetch(`${open.url}actions`, { ...form({ stack: "staging", service: "api", action: "promote" }), headers });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const second = await fetch(`${open.url}actions`, { ...form({ stack: "staging", service: "api", action: "retire" }), headers });
    expect(second.status).toBe(409);
    expect(((await second.json()) as { error: string }).error).toMatch(/^stack staging is busy: promote api by alice@example\.com since /);
    const events = await actionEvents(open.url, id);
    expect(events[0]).toBe("line: ▶ promote api on staging");
    expect(events).toContain("line: live: api blue 2.0.0");
    expect(events.at(-2)).toBe("line: ✔ promote api on staging");
    expect(JSON.parse(events.at(-1)!.replace(/^done: /, ""))).toEqual({ type: "done", result: "done", exitCode: 0, summary: "live: api blue 2.0.0" });
    expect(f.live("staging")).toBe("blue 2.0.0");
    const history = await (await fetch(`${open.url}history?stack=staging&service=api`)).text();
    expect(history).toContain("<td>alice@example.com</td><td>promote (dashboard)</td>");
  });

  it("with a token: rejects requests without it, logs in with ?token= (an HttpOnly cookie), and hides actions when read-only", async () => {
    expect((await fetch(guarded.url)).status).toBe(401);
    expect((await fetch(guarded.url, { headers: { authorization: "Bearer wrong-token-of-some-length" } })).status).toBe(401);
    const login = await fetch(`${guarded.url}?token=${TOKEN}`, { redirect: "manual" });
    expect(login.status).toBe(302);
    const cookie = login.headers.get("set-cookie")!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await (await fetch(guarded.url, { headers: { cookie: cookie.split(";")[0] } })).text();
    expect(page).toContain("read-only");
    expect(page).not.toContain('data-action="promote"');
    const post = await fetch(`${guarded.url}actions`, { ...form({ stack: "staging", service: "api", action: "retire" }), headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${TOKEN}`, origin: guarded.url.slice(0, -1) } });
    expect(post.status).toBe(403);
  });

  it("writes the same overview as one self-contained HTML file, without scripts or links to the server", async () => {
    const report = await statusReport(f.dir, "html", f.world);
    expect(report).toMatch(/^<!doctype html>/);
    expect(report).toContain("<style>");
    expect(report).not.toMatch(/<script|href="\/|hunter2/);
    expect(report).toContain('<span class="stack">staging</span>');
    expect(await statusReport(f.dir, "text", f.world)).toContain("production (production)\n  api: live green 1.0.0, idle blue 2.0.0, phase verified, alarms OK\n");
  });
});

describe("flipstack dashboard refuses unsafe starts", () => {
  const run = (args: string[], env: Record<string, string> = {}) =>
    promisify(execFile)(process.execPath, [FLIPSTACK, ...args], { env: { ...process.env, FLIPSTACK_DASHBOARD_TOKEN: "", ...env } }).then(
      () => ({ code: 0, stderr: "" }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );

  it("does not start on another address without a token", async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), "flipstack-dash-"));
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: flipstack\nruntime: nodejs\n");
    const result = await run(["dashboard", "--host", "0.0.0.0", "--cwd", project]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("flipstack: --host 0.0.0.0 makes the dashboard reachable from other machines: give it an access token with --token or FLIPSTACK_DASHBOARD_TOKEN (and keep it behind your SSO or VPN)\n");
    const short = await run(["dashboard", "--host", "0.0.0.0", "--token", "short", "--cwd", project]);
    expect(short).toEqual({ code: 2, stderr: "flipstack: the dashboard token must be at least 16 characters (e.g. `openssl rand -hex 24`)\n" });
  });
});
