import { describe, expect } from "vitest";

import { test } from "./support/fixtures";
import { appUrl, deliverEvents } from "./support/suite";

describe("signing up through Clerk's <SignUp/>", () => {
  test("reaches a dashboard that completes itself once Clerk's user.created webhook arrives", async ({ clerk, page }) => {
    const email = "grace@example.com";

    await page.goto(appUrl("/sign-up"));
    await page.getByLabel("Email address").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("a long enough password");
    await page.getByRole("button", { name: "Continue", exact: true }).click();
    await page.getByRole("heading", { name: "Verify your email" }).waitFor();
    // The code Clerk emailed: the fake keeps what it sends.
    await page.keyboard.type(clerk.lastEmailCode(email));

    // Signed in before any webhook: the backend provisions a stand-in and says so.
    await page.waitForURL(appUrl("/dashboard"));
    const profile = page.getByTestId("profile-server");
    await expect.poll(() => profile.getByTestId("state-completing").isVisible()).toBe(true);
    expect(await profile.getByTestId("profile-email").textContent()).toBe("No email address");
    expect(await profile.getByTestId("state-no-organizations").isVisible()).toBe(true);

    const [userCreated, ...others] = clerk.takeWebhookEvents();
    expect(others).toEqual([]);
    expect(userCreated.type).toBe("user.created");
    expect(userCreated.data.id).toBe(clerk.findUserByEmail(email)?.id);
    await deliverEvents([userCreated]);

    await page.reload();
    await expect.poll(() => profile.getByTestId("profile-email").textContent()).toBe(email);
    expect(await profile.getByTestId("state-completing").count()).toBe(0);
  });
});
