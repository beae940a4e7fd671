import { describe, expect } from "vitest";

import { saveReadmeScreenshot } from "./support/browser";
import { test } from "./support/fixtures";
import { appUrl } from "./support/suite";

describe("a signed-out visitor", () => {
  test("sees the landing page with sign-in and sign-up", async ({ page }) => {
    await page.goto(appUrl("/"));
    expect(await page.getByTestId("landing-title").textContent()).toContain("Ship your SaaS");
    expect(await page.getByTestId("sign-in-button").isVisible()).toBe(true);
    expect(await page.getByTestId("sign-up-button").isVisible()).toBe(true);
    expect(await page.getByTestId("dashboard-link").count()).toBe(0);
    await saveReadmeScreenshot(page, "landing");
  });

  test("is sent from the dashboard to our sign-in page, where Clerk's <SignIn/> asks for an email address", async ({ page }) => {
    await page.goto(appUrl("/dashboard"));
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await page.getByTestId("sign-in-page").isVisible()).toBe(true);
    await page.getByLabel("Email address").waitFor();
    expect(await page.getByRole("heading", { name: "Sign in to Starter" }).isVisible()).toBe(true);
    await saveReadmeScreenshot(page, "sign-in");
  });
});
