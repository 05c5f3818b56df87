/**
 * The dashboard in a real headless browser: Debian's chromium driven by playwright-core (`.ci/run` installs it
 * with apt-get; elsewhere install it, or point FLIPSTACK_CHROMIUM at a Chromium or Chrome binary).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import type { RunningServer } from "../../cli/dashboard/server";
import { startDashboard } from "../../cli/dashboard/start";
import { apiAt, dashboardFixture, type DashboardFixture } from "./harness";

const CHROMIUM = process.env.FLIPSTACK_CHROMIUM ?? "/usr/bin/chromium";
export const OUTPUT = path.join(__dirname, "..", "..", "test-output");

describe("the dashboard in a browser", () => {
  let f: DashboardFixture;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set FLIPSTACK_CHROMIUM`);
    f = await dashboardFixture({ staging: apiAt("verified"), production: apiAt("verified"), "pr-42": apiAt("deployed") });
    server = await startDashboard({ workDir: f.dir, world: f.world, host: "127.0.0.1", port: 0, readOnly: false, refresh: "1h" });
    // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    f?.cleanup();
  });

  const cell = (stack: string) => page.locator(`td[data-stack="${stack}"][data-service="api"]`);

  it("shows every environment's live version, and saves a screenshot of the overview", async () => {
    await expectText(cell("staging").locator(".live .version"), "1.0.0");
    await expectText(cell("production").locator(".live .version"), "1.0.0");
    expect(await cell("pr-42").locator(".idle").innerText()).toBe("idle blue 2.0.0");
    expect(await page.locator("thead th .stack").allInnerTexts()).toEqual(["production", "staging", "pr-42"]);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, "dashboard-overview.png"), fullPage: true });
    expect(fs.statSync(path.join(OUTPUT, "dashboard-overview.png")).size).toBeGreaterThan(10_000);
  });

  it("refuses a production action until the service name is typed, and changes nothing", async () => {
    await cell("production").locator('button[data-action="promote"]').click();
    const dialog = page.locator("#action-dialog");
    await dialog.locator('button[type="submit"]').click();
    await expectText(page.locator("#action-error"), "production is production: type the service name (api) to confirm");
    expect(await dialog.isVisible()).toBe(true);
    await page.locator("#action-cancel").click();
    expect(f.live("production")).toBe("green 1.0.0");
  });

  it("promotes staging from the keyboard, streams the steps, and shows the new live version", async () => {
    await cell("staging").locator('button[data-action="promote"]').focus();
    await page.keyboard.press("Enter");
    await page.locator("#action-dialog").waitFor({ state: "visible" });
    await page.keyboard.press("Enter"); // the dialog's Run button has the focus: staging needs no confirmation
    await expectText(page.locator("#final"), "done: live: api blue 2.0.0", 60_000);
    expect(await page.locator("#steps li").allInnerTexts()).toEqual(["promote api on staging"]);
    expect(await page.locator("#steps li").getAttribute("class")).toBe("done");
    expect(await page.locator("#output").innerText()).toContain("Updating (staging)");
    await expectText(cell("staging").locator(".live .version"), "2.0.0", 60_000);
    expect(f.live("staging")).toBe("blue 2.0.0");
  });

  it("stays readable on a phone-width screen: no sideways scrolling", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // Evaluated in the page: the width of everything laid out, against the screen.
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    expect(await cell("staging").isVisible()).toBe(true);
    await page.screenshot({ path: path.join(OUTPUT, "dashboard-phone.png"), fullPage: true });
  });
});

/** Waits until the element's text is `text` (the page updates by itself). */
async function expectText(locator: ReturnType<Page["locator"]>, text: string, timeout = 20_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen = "";
  while (Date.now() < deadline) {
    seen = (await locator.innerText({ timeout }).catch(() => "")).trim();
    if (seen === text) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(seen).toBe(text);
}
