import { describe, expect } from "vitest";

import { shown } from "./support/browser";
import { test } from "./support/fixtures";
import { appUrl, controlStack, deliverWebhooks } from "./support/suite";

describe("the dashboard of a signed-in user", () => {
  test("says the server is unreachable while the backend is down (on the projects page too), and shows the profile again after", async ({
    clerk,
    clerkBrowser,
    page,
  }) => {
    const annie = clerk.addUser({ email: "annie@example.com", password: "correct horse battery", firstName: "Annie" });
    await deliverWebhooks(clerk);
    await clerkBrowser.signInAs(annie);
    const server = page.getByTestId("profile-server");

    await controlStack("stop backend");
    try {
      await page.goto(appUrl("/dashboard"));
      const unreachable = shown(page, "state-backend-unreachable");
      await unreachable.waitFor();
      expect(await unreachable.textContent()).toContain("can't reach the server");
      // The projects page too, and it offers no form it could not send.
      await page.goto(appUrl("/dashboard/projects"), { waitUntil: "domcontentloaded" });
      await unreachable.waitFor();
      expect(await page.getByTestId("create-project").count()).toBe(0);
    } finally {
      await controlStack("start backend");
    }
    await page.goto(appUrl("/dashboard"));
    await expect.poll(() => server.getByTestId("profile-email").textContent()).toBe(annie.email);
  });
});
