import * as http from "node:http";
import * as https from "node:https";

export interface SmokeTest {
  url: string;
  /** Host header (and TLS server name) the test listener's rule matches. */
  host?: string;
  expectStatus: number;
  version: string;
  /** Response header that carries the version; without one the version must appear in the body. */
  versionHeader?: string;
  attempts: number;
  timeoutMs: number;
  backoffMs: number;
}

export type Sleep = (ms: number) => Promise<void>;

/** Requests the URL until it answers as expected or the attempts run out; each wait doubles. */
export async function runSmokeTest(test: SmokeTest, sleep: Sleep, log: (line: string) => void): Promise<void> {
  let problem = "";
  for (let attempt = 1; attempt <= test.attempts; attempt++) {
    problem = await check(test);
    if (!problem) {
      log(`verify: ${test.url} answered ${test.expectStatus} with version ${test.version} (attempt ${attempt})`);
      return;
    }
    log(`verify: attempt ${attempt}/${test.attempts}: ${problem}`);
    if (attempt < test.attempts) await sleep(test.backoffMs * 2 ** (attempt - 1));
  }
  throw new Error(`smoke test failed after ${test.attempts} attempts: ${problem}`);
}

async function check(test: SmokeTest): Promise<string> {
  try {
    const response = await get(test);
    if (response.status !== test.expectStatus) return `status ${response.status}, expected ${test.expectStatus}`;
    const seen = test.versionHeader ? response.headers[test.versionHeader.toLowerCase()] : response.body;
    const where = test.versionHeader ? `header ${test.versionHeader}` : "body";
    return String(seen ?? "").includes(test.version) ? "" : `version ${test.version} not in the ${where}`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(test: SmokeTest): Promise<Response> {
  const url = new URL(test.url);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(url, {
      method: "GET",
      headers: test.host ? { host: test.host } : {},
      ...(url.protocol === "https:" && test.host ? { servername: test.host } : {}),
      timeout: test.timeoutMs,
    }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        if (body.length < 65536) body += chunk;
      });
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      response.on("error", reject);
    });
    request.on("timeout", () => request.destroy(new Error(`no answer within ${test.timeoutMs} ms`)));
    request.on("error", reject);
    request.end();
  });
}
