import type { Browser, BrowserContext, Page } from "playwright-core";
import { test as base, expect, inject } from "vitest";

import { attachFakeClerk, type ClerkBrowser, type FakeClerk, type OrganizationRecord, type UserRecord } from "../fake-clerk";
import { launchBrowser, newContext, saveFailureScreenshot } from "./browser";
import { newFakeClerk } from "./suite";

type Fixtures = {
  /** One Chromium for the whole run (the files run in turn, in one worker). */
  browser: Browser;
  /** This test's Clerk instance: add its users, organizations and roles before browsing. */
  clerk: FakeClerk;
  /** This test's browser context, with Clerk's Frontend API and bundles served by `clerk`. */
  context: BrowserContext;
  clerkBrowser: ClerkBrowser;
  page: Page;
  /**
   * Opens a page in another browser, signed in as `user` (with `organization` active): for
   * journeys where several people act on the same data. Closed with the test.
   */
  pageOf: (user: UserRecord, organization?: OrganizationRecord) => Promise<Page>;
};

// A fixture hands its value to the test with the function vitest passes second (named `use` in
// vitest's docs; `provide` here, so React's hook lint rule leaves it alone).

/**
 * `test` with a fresh fake Clerk, browser context and page per test. A failing test leaves a
 * screenshot in test-results/browser; a test during which Clerk's code called an endpoint the
 * fake does not answer fails, naming it.
 */
export const test = base.extend<Fixtures>({
  browser: [
    // Vitest reads which fixtures a fixture needs from its first parameter: none here.
    async ({}, provide) => {
      const browser = await launchBrowser(inject("appUrl"));
      await provide(browser);
      await browser.close();
    },
    { scope: "worker" },
  ],
  clerk: async ({}, provide) => provide(newFakeClerk()),
  context: async ({ browser, clerk }, provide) => {
    const context = await newContext(browser, inject("appUrl"), [clerk.frontendApiHost]);
    await provide(context);
    await context.close();
  },
  clerkBrowser: async ({ clerk, context }, provide) => {
    const clerkBrowser = await attachFakeClerk(context, clerk);
    await provide(clerkBrowser);
    expect(clerkBrowser.unanswered, "Frontend API calls the fake Clerk does not answer").toEqual([]);
  },
  page: async ({ clerkBrowser, onTestFailed, task }, provide) => {
    const page = await clerkBrowser.newPage();
    onTestFailed(() => saveFailureScreenshot(page, task.name));
    await provide(page);
  },
  pageOf: async ({ browser, clerk, onTestFailed, task }, provide) => {
    const opened: { context: BrowserContext; clerkBrowser: ClerkBrowser; page: Page; name: string }[] = [];
    onTestFailed(async () => {
      for (const { page, name } of opened) await saveFailureScreenshot(page, `${task.name} (${name})`);
    });
    await provide(async (user, organization) => {
      const context = await newContext(browser, inject("appUrl"), [clerk.frontendApiHost]);
      const clerkBrowser = await attachFakeClerk(context, clerk);
      await clerkBrowser.signInAs(user, organization);
      const page = await clerkBrowser.newPage();
      opened.push({ context, clerkBrowser, page, name: user.email });
      return page;
    });
    for (const { context } of opened) await context.close();
    for (const { clerkBrowser, name } of opened) {
      expect(clerkBrowser.unanswered, `Frontend API calls the fake Clerk does not answer (${name}'s browser)`).toEqual([]);
    }
  },
});
