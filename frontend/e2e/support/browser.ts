import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";

import { chromiumArgsForApp } from "../fake-clerk";

const ACTION_TIMEOUT_MS = 15_000;

export const FAILURE_SCREENSHOTS_DIR = path.resolve(import.meta.dirname, "../../test-results/browser");
const README_SCREENSHOTS_DIR = path.resolve(import.meta.dirname, "../../../docs/screenshots");

/** Debian's Chromium, never a downloaded one; `appUrl` resolves to this machine and counts as a secure origin. */
export async function launchBrowser(appUrl: string): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...chromiumArgsForApp(appUrl),
    ],
  });
}

/** A context that reaches only the app and `allowedHosts` (the fake Clerk's); anything else is refused at once. */
export async function newContext(browser: Browser, appUrl: string, allowedHosts: string[] = []): Promise<BrowserContext> {
  const app = new URL(appUrl);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Below half the test timeout: a wait that never ends (inside an `expect.poll`, which calls it
  // twice) fails naming its locator and leaves a screenshot, instead of timing the test out bare.
  context.setDefaultTimeout(ACTION_TIMEOUT_MS);
  await context.route(
    (url) => url.host !== app.host && !allowedHosts.includes(url.host),
    (route) => route.abort("internetdisconnected"),
  );
  return context;
}

export async function saveFailureScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(FAILURE_SCREENSHOTS_DIR, { recursive: true });
  const file = `${name.replace(/[^\w-]+/g, "-").slice(0, 100)}.png`;
  await page.screenshot({ path: path.join(FAILURE_SCREENSHOTS_DIR, file), fullPage: true }).catch(() => {});
}

/**
 * The README's screenshots are taken only by `make screenshots` (SAVE_README_SCREENSHOTS=1):
 * `make test` leaves the tracked files alone.
 */
export async function saveReadmeScreenshot(page: Page, name: string, ready?: Locator): Promise<void> {
  if (process.env.SAVE_README_SCREENSHOTS !== "1") return;
  // What the picture must show (a widget of Clerk's, say), waited for only when it is taken.
  await ready?.waitFor();
  mkdirSync(README_SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(README_SCREENSHOTS_DIR, `${name}.png`) });
}

/**
 * The element `page` shows under `testId`. A streamed page's finished part waits in a hidden
 * <div> at the end of <body> until React reveals it on the next animation frame; should the page
 * update first, React renders that part again in place, and for a moment the DOM holds both
 * copies (seen under load: a strict locator then finds two). A test reading a page that may not
 * have settled asks for the one on screen.
 */
export function shown(page: Page, testId: string): Locator {
  return page.getByTestId(testId).filter({ visible: true });
}

/**
 * Resolves once clerk-js has loaded on `page`. ClerkProvider loads it after React has hydrated,
 * and it may refresh the route when it finds the session: a form filled before then can lose
 * what was typed or its answer. Tests that only read server-rendered pages need not wait.
 */
export async function clerkLoaded(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as { Clerk?: { loaded?: boolean } }).Clerk?.loaded === true);
}
