import { describe, expect } from "vitest";

import { test } from "./support/fixtures";
import { appUrl, deliverWebhooks } from "./support/suite";

const PASSWORD = "correct horse battery staple";

describe("signing in through Clerk's <SignIn/>", () => {
  test("with email and password lands on the dashboard, which shows the profile the backend holds", async ({ clerk, page }) => {
    const katherine = clerk.addUser({ email: "katherine@example.com", password: PASSWORD, firstName: "Katherine", lastName: "Johnson" });
    const langley = clerk.addOrganization({ name: "Langley Research", slug: "langley" });
    const flightResearch = clerk.addOrganization({ name: "Flight Research", slug: "flight-research" });
    clerk.addMembership(katherine, langley, "org:admin");
    clerk.addMembership(katherine, flightResearch, "org:member");
    await deliverWebhooks(clerk);

    await page.goto(appUrl("/sign-in"));
    await page.getByLabel("Email address").fill(katherine.email);
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Continue", exact: true }).click();

    await page.waitForURL(appUrl("/dashboard"));
    const profile = page.getByTestId("profile-server");
    await expect.poll(() => profile.getByTestId("profile-email").textContent()).toBe(katherine.email);
    expect(await profile.getByTestId("profile-name").textContent()).toBe("Katherine Johnson");
    const organizations = await profile.getByTestId("organization").allTextContents();
    expect(organizations).toHaveLength(2);
    expect(organizations.find((text) => text.includes("Langley Research"))).toContain("admin");
    expect(organizations.find((text) => text.includes("Flight Research"))).toContain("member");
    expect(await profile.getByTestId("active-organization-none").isVisible()).toBe(true);
  });

  test("with a wrong password is told so by Clerk and stays signed out", async ({ clerk, clerkBrowser, page }) => {
    const dorothy = clerk.addUser({ email: "dorothy@example.com", password: PASSWORD });

    await page.goto(appUrl("/sign-in"));
    await page.getByLabel("Email address").fill(dorothy.email);
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Continue", exact: true }).click();

    const error = page.locator(".cl-formFieldErrorText__password");
    await error.waitFor();
    expect(await error.textContent()).toContain("Password is incorrect");
    expect(clerkBrowser.client.sessions).toEqual([]);
    expect(new URL(page.url()).pathname).toBe("/sign-in/factor-one");
  });
});
