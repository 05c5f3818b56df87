import * as http from "node:http";
import * as https from "node:https";
import type { Clock } from "./context";

/** What a smoke test asks of the release behind the test listener. */
export interface SmokeTest {
  url: string;
  /** Host header (and TLS server name): the test listener routes by the same hosts as production. */
  host?: string;
  expectStatus: number;
  version: string;
  /** Response header carrying the version; without one the version must appear in the body. */
  versionHeader?: string;
}

/** How hard to try: attempts, a time limit per request, and waits that double from `backoffMs` up to a cap. */
export interface SmokeTestBounds {
  attempts: number;
  timeoutMs: number;
  backoffMs: number;
  maxBackoffMs: number;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * GETs the URL until it answers with the expected status and version or the attempts run out. Resolves on success;
 * rejects with the last attempt's problem. A release that is still warming up gets the doubling waits; one that
 * answers the wrong version never passes, however often it is asked.
 */
export async function runSmokeTest(test: SmokeTest, bounds: SmokeTestBounds, clock: Clock, log: (line: string) => void): Promise<void> {
  let problem = "";
  for (let attempt = 1; attempt <= bounds.attempts; attempt++) {
    problem = await check(test, bounds.timeoutMs);
    if (!problem) {
      log(`verify: ${test.url} answered ${test.expectStatus} with version ${test.version} (attempt ${attempt}/${bounds.attempts})`);
      return;
    }
    log(`verify: attempt ${attempt}/${bounds.attempts}: ${problem}`);
    if (attempt < bounds.attempts) await clock.sleep(Math.min(bounds.backoffMs * 2 ** (attempt - 1), bounds.maxBackoffMs));
  }
  throw new Error(`${test.url} failed the smoke test ${bounds.attempts} times; last: ${problem}`);
}

/** The problem with one answer, or "" when it passes. */
async function check(test: SmokeTest, timeoutMs: number): Promise<string> {
  let answer: Answer;
  try {
    answer = await get(test, timeoutMs);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (answer.status !== test.expectStatus) return `status ${answer.status}, expected ${test.expectStatus}`;
  if (test.versionHeader) {
    const seen = answer.headers[test.versionHeader.toLowerCase()];
    const values = [seen ?? []].flat().flatMap((v) => v.split(",")).map((v) => v.trim());
    return values.includes(test.version) ? "" : `header ${test.versionHeader} is ${seen === undefined ? "missing" : JSON.stringify(String(seen))}, expected ${test.version}`;
  }
  return bodyMentions(answer.body, test.version) ? "" : `version ${test.version} is not in the body`;
}

/** Whether the body names the version as a whole token: `2.0.0` is not in `12.0.0` or `2.0.0-rc1`. */
export function bodyMentions(body: string, version: string): boolean {
  const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`(?<![\\w.-])${escaped}(?![\\w-]|\\.\\w)`).test(body);
}

const MAX_BODY = 64 * 1024;

function get(test: SmokeTest, timeoutMs: number): Promise<Answer> {
  const url = new URL(test.url);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: "GET",
      agent: false,
      headers: { ...(test.host && { host: test.host }), "user-agent": "flipstack-release-verify" },
      // The certificate names the service's host, not the load balancer's DNS name the URL points at.
      ...(url.protocol === "https:" && test.host && { servername: test.host }),
    }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (body.length < MAX_BODY) body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on("error", reject);
    });
    // A whole-request limit: a socket timeout alone lets a server that trickles bytes hold the release forever.
    const timer = setTimeout(() => request.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    request.on("close", () => clearTimeout(timer));
    request.on("error", reject);
    request.end();
  });
}
