import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { inject } from "vitest";

import { sessionToken, type ActiveOrganizationClaim, type TestKeys } from "./clerk";

export const SCREENSHOTS_DIR = path.resolve(import.meta.dirname, "../../test-results/browser");
const README_SCREENSHOTS_DIR = path.resolve(import.meta.dirname, "../../../docs/screenshots");

/** Debian's Chromium, never a downloaded one; nothing leaves the machine. */
export async function launchBrowser(): Promise<Browser> {
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
    ],
  });
}

/** A browser context that can only reach the stack: Clerk's Frontend API and CDN are refused at once. */
export async function newContext(browser: Browser): Promise<BrowserContext> {
  const stackUrl = new URL(inject("stack").url);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(
    (url) => url.host !== stackUrl.host,
    (route) => route.abort("internetdisconnected"),
  );
  return context;
}

/** Signs the context in the way Clerk's cookies do: `__session` (the token) and `__client_uat` (≤ its iat). */
export async function signIn(context: BrowserContext, userId: string, organization?: ActiveOrganizationClaim) {
  const url = inject("stack").url;
  const keys: TestKeys = { publicPem: inject("publicPem"), privatePem: inject("privatePem") };
  const { token, issuedAt } = await sessionToken(keys, { userId, authorizedParty: url, organization });
  await context.clearCookies();
  await context.addCookies([
    { name: "__session", value: token, url },
    { name: "__client_uat", value: String(issuedAt), url },
  ]);
  return token;
}

/**
 * The README's screenshots are taken only by `make screenshots` (SAVE_README_SCREENSHOTS=1):
 * `make test` leaves the tracked files alone.
 */
export async function saveReadmeScreenshot(page: Page, name: string): Promise<void> {
  if (process.env.SAVE_README_SCREENSHOTS !== "1") return;
  mkdirSync(README_SCREENSHOTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(README_SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/** Runs `check`, saving a screenshot of the page under test-results/browser when it fails. */
export async function withScreenshotOnFailure(page: Page, name: string, check: () => Promise<void>) {
  try {
    await check();
  } catch (error) {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true }).catch(() => {});
    throw error;
  }
}
