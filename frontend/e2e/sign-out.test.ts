import { describe, expect } from "vitest";

import { test } from "./support/fixtures";
import { appUrl, deliverWebhooks } from "./support/suite";

describe("Clerk's <UserButton/>", () => {
  test("opens on the signed-in user, and its Sign out returns to the landing page for good", async ({ clerk, clerkBrowser, page }) => {
    const mary = clerk.addUser({ email: "mary@example.com", password: "correct horse battery", firstName: "Mary", lastName: "Jackson" });
    await deliverWebhooks(clerk);
    await clerkBrowser.signInAs(mary);

    await page.goto(appUrl("/dashboard"));
    await page.getByTestId("user-button").getByRole("button").click();
    const popover = page.locator(".cl-userButtonPopoverCard");
    await popover.waitFor();
    expect(await popover.textContent()).toContain("Mary Jackson");
    expect(await popover.textContent()).toContain(mary.email);

    await popover.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(appUrl("/"));
    await page.getByTestId("sign-in-button").waitFor();
    expect(clerkBrowser.client.sessions).toEqual([]);

    await page.goto(appUrl("/dashboard"));
    expect(new URL(page.url()).pathname).toBe("/sign-in");
  });
});
