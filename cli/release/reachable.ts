import * as net from "node:net";

/** How long a connection to the test listener may take to open before the machine is taken to be outside. */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Why a TCP connection to the URL's host and port does not open, or undefined when it does. The test listener
 * admits only the office and VPN networks, so from anywhere else (a GitHub-hosted runner) it never opens: the
 * security group drops the packets (a timeout), or nothing listens there (refused).
 */
export function connectProblem(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<string | undefined> {
  const target = new URL(url);
  const port = Number(target.port || (target.protocol === "https:" ? 443 : 80));
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.hostname, port });
    const done = (problem: string | undefined) => {
      socket.destroy();
      resolve(problem);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s`));
    socket.once("connect", () => done(undefined));
    socket.once("error", (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
  });
}
