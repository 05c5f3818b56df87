import type * as http from "node:http";
import { bodyMentions, runSmokeTest, type SmokeTest, type SmokeTestBounds } from "../../cli/release/verifyHttp";
import { httpServer } from "./testListener";

const BOUNDS: SmokeTestBounds = { attempts: 3, timeoutMs: 1_000, backoffMs: 100, maxBackoffMs: 30_000 };

/** Smoke tests against real HTTP servers on 127.0.0.1; the waits between attempts go through a fake clock. */
describe("the verify smoke test", () => {
  const sleeps: number[] = [];
  const clock = { now: () => 0, sleep: async (ms: number) => void sleeps.push(ms) };
  const logs: string[] = [];
  const servers: Array<{ close(): Promise<void> }> = [];
  beforeEach(() => {
    sleeps.length = 0;
    logs.length = 0;
  });
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers.length = 0;
  });

  const against = async (handler: http.RequestListener, test: Partial<SmokeTest> = {}, bounds: Partial<SmokeTestBounds> = {}) => {
    const server = await httpServer(handler);
    servers.push(server);
    return runSmokeTest({ url: `${server.url}version`, expectStatus: 200, version: "2.0.0", versionHeader: "x-app-version", ...test }, { ...BOUNDS, ...bounds }, clock, (l) => logs.push(l));
  };
  const answering = (version: string): http.RequestListener => (_req, res) => {
    res.setHeader("x-app-version", version);
    res.end(`running ${version}`);
  };

  it("passes at once when the release answers with its version header", async () => {
    await against(answering("2.0.0"));
    expect(sleeps).toEqual([]);
    expect(logs).toEqual([expect.stringMatching(/version answered 200 with version 2\.0\.0 \(attempt 1\/3\)$/)]);
  });

  it("looks for the version in the body when the service names no header", async () => {
    await expect(against(answering("2.0.0"), { versionHeader: undefined })).resolves.toBeUndefined();
    await expect(against(answering("12.0.0"), { versionHeader: undefined })).rejects.toThrow("version 2.0.0 is not in the body");
  });

  it("sends the Host header the test listener routes by", async () => {
    const hosts: string[] = [];
    await against((req, res) => {
      hosts.push(req.headers.host ?? "");
      answering("2.0.0")(req, res);
    }, { host: "api.staging.example.com" });
    expect(hosts).toEqual(["api.staging.example.com"]);
  });

  it("retries a release that is warming up, waiting twice as long each time", async () => {
    let calls = 0;
    await against((req, res) => {
      if (++calls < 3) {
        res.statusCode = 503;
        res.end();
      } else answering("2.0.0")(req, res);
    });
    expect(sleeps).toEqual([100, 200]);
    expect(logs[0]).toBe("verify: attempt 1/3: status 503, expected 200");
  });

  it("gives up after the attempts on a release that answers 500", async () => {
    await expect(against((_req, res) => void ((res.statusCode = 500), res.end()))).rejects.toThrow("failed the smoke test 3 times; last: status 500, expected 200");
    expect(sleeps).toEqual([100, 200]);
  });

  it("gives up on a release too slow to answer, each request bounded by the timeout", async () => {
    const timers: NodeJS.Timeout[] = [];
    await expect(against((_req, res) => void timers.push(setTimeout(() => res.end(), 5_000)), {}, { timeoutMs: 200 })).rejects.toThrow("last: no answer within 200 ms");
    timers.forEach(clearTimeout);
  });

  it("never passes a release that answers another version, however often it is asked", async () => {
    await expect(against(answering("1.0.0"), {}, { attempts: 4 })).rejects.toThrow('header x-app-version is "1.0.0", expected 2.0.0');
    expect(sleeps).toEqual([100, 200, 400]);
  });

  it("caps the doubling waits", async () => {
    await expect(against(answering("1.0.0"), {}, { attempts: 5, backoffMs: 1_000, maxBackoffMs: 3_000 })).rejects.toThrow();
    expect(sleeps).toEqual([1_000, 2_000, 3_000, 3_000]);
  });

  it.each([
    ["2.0.0", true],
    ['{"version":"2.0.0"}', true],
    ["version 2.0.0.", true],
    ["12.0.0", false],
    ["2.0.0-rc1", false],
    ["2.0.0.1", false],
    ["2x0x0", false],
  ])("finds 2.0.0 in the body %j: %s", (body, found) => {
    expect(bodyMentions(body, "2.0.0")).toBe(found);
  });

  it.each([
    ["a header", { versionHeader: "x-app-version" }],
    ["the body", { versionHeader: undefined }],
  ])("matches the version in %s exactly: 2.0 never passes against 12.0.5 or 2.0.5", async (_, test) => {
    for (const served of ["12.0.5", "2.0.5", "2.0-rc1"]) {
      await expect(against(answering(served), { ...test, version: "2.0" }, { attempts: 1 })).rejects.toThrow("failed the smoke test 1 times");
    }
    await expect(against(answering("2.0"), { ...test, version: "2.0" }, { attempts: 1 })).resolves.toBeUndefined();
  });

  it("bounds each attempt's whole time: a server that trickles a byte every 100 ms cannot stretch it", async () => {
    const timers = new Set<NodeJS.Timeout>();
    const trickle: http.RequestListener = (_req, res) => {
      res.writeHead(200, { "x-app-version": "2.0.0" });
      const timer = setInterval(() => res.write("."), 100);
      timers.add(timer);
      res.on("close", () => clearInterval(timer));
    };
    const started = Date.now();
    await expect(against(trickle, { versionHeader: undefined }, { attempts: 2, timeoutMs: 300 })).rejects.toThrow("no answer within 300 ms");
    timers.forEach(clearInterval);
    // Two attempts of 300 ms each (the waits between them are the fake clock's): well under a second, whatever the load.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
