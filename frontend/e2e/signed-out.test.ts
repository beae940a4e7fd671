import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { launchBrowser, newContext, saveReadmeScreenshot, withScreenshotOnFailure } from "./support/browser";

let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  browser = await launchBrowser();
  context = await newContext(browser);
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
});

describe("a signed-out visitor", () => {
  it("sees the landing page with sign-in and sign-up", async () => {
    await withScreenshotOnFailure(page, "landing", async () => {
      await page.goto(`${inject("stack").url}/`);
      expect(await page.getByTestId("landing-title").textContent()).toContain("Ship your SaaS");
      expect(await page.getByTestId("sign-in-button").isVisible()).toBe(true);
      expect(await page.getByTestId("sign-up-button").isVisible()).toBe(true);
      expect(await page.getByTestId("dashboard-link").count()).toBe(0);
      await saveReadmeScreenshot(page, "landing");
    });
  });

  it("is sent from the dashboard to our own sign-in page", async () => {
    await withScreenshotOnFailure(page, "dashboard-signed-out", async () => {
      await page.goto(`${inject("stack").url}/dashboard`);
      expect(new URL(page.url()).pathname).toBe("/sign-in");
      expect(await page.getByTestId("sign-in-page").isVisible()).toBe(true);
    });
  });
});
