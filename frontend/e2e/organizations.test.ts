import { decodeJwt } from "jose";
import type { Page } from "playwright-core";
import { describe, expect } from "vitest";

import { saveReadmeScreenshot, shown } from "./support/browser";
import { test } from "./support/fixtures";
import { appUrl, createProjectsAs, deliverWebhooks } from "./support/suite";

/** Opens Clerk's <OrganizationSwitcher/> and returns the names it offers, the personal account included. */
async function openOrganizationSwitcher(page: Page): Promise<string[]> {
  await page.getByTestId("organization-switcher").getByRole("button").first().click();
  const popover = page.locator(".cl-organizationSwitcherPopoverCard");
  await popover.waitFor();
  const names = await popover.locator(".cl-organizationPreviewMainIdentifier, .cl-userPreviewMainIdentifier").allTextContents();
  return names.map((name) => name.trim());
}

describe("Clerk's <OrganizationSwitcher/> on the dashboard", () => {
  test("lists the user's organizations and makes the chosen one active, on the server and through the API", async ({
    clerk,
    clerkBrowser,
    page,
  }) => {
    const ada = clerk.addUser({ email: "ada@example.com", password: "correct horse battery", firstName: "Ada", lastName: "Lovelace" });
    const acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
    const globex = clerk.addOrganization({ name: "Globex Research", slug: "globex" });
    clerk.addMembership(ada, acme, "org:admin");
    clerk.defineRole("org:researcher", "Researcher", ["org:reports:read", "org:reports:export"]);
    clerk.addMembership(ada, globex, "org:researcher");
    await deliverWebhooks(clerk);
    await clerkBrowser.signInAs(ada);

    await page.goto(appUrl("/dashboard"));
    const server = page.getByTestId("profile-server");
    await expect.poll(() => server.getByTestId("active-organization-none").isVisible()).toBe(true);
    expect(await page.getByTestId("nav-projects").getAttribute("href")).toBe("/dashboard/projects");
    expect(await openOrganizationSwitcher(page)).toEqual(expect.arrayContaining(["Personal account", "Acme Rockets", "Globex Research"]));

    await page.getByRole("button", { name: "Acme Rockets" }).click();
    await expect.poll(() => server.getByTestId("active-organization").textContent()).toContain("Acme Rockets");
    expect(await server.getByTestId("active-role").textContent()).toBe("admin");
    await saveReadmeScreenshot(page, "dashboard");

    expect(await openOrganizationSwitcher(page)).toEqual(expect.arrayContaining(["Acme Rockets", "Globex Research"]));
    await page.getByRole("button", { name: "Globex Research" }).click();
    await expect.poll(() => server.getByTestId("active-organization").textContent()).toContain("Globex Research");
    expect(await server.getByTestId("active-role").textContent()).toBe("researcher");

    // "Refresh from API": the browser's getToken() as a Bearer header, through nginx.
    const [meRequest] = await Promise.all([
      page.waitForRequest((request) => new URL(request.url()).pathname === "/api/v1/auth/me/"),
      page.getByTestId("refresh-from-api").click(),
    ]);
    const token = meRequest.headers().authorization?.replace(/^Bearer /, "") ?? "";
    expect(decodeJwt(token)).toMatchObject({ sub: ada.id, o: { id: globex.id, rol: "researcher" } });
    const answer = await (await meRequest.response())?.json();
    expect(answer.active_organization).toMatchObject({
      clerk_id: globex.id,
      role: "org:researcher",
      permissions: ["org:reports:read", "org:reports:export"],
    });
    const browser = page.getByTestId("profile-browser");
    await expect.poll(() => browser.getByTestId("active-organization").textContent()).toContain("Globex Research");
  });

  test("a member switches organization on the projects page, creates a project there, and sees only that organization's projects", async ({
    clerk,
    clerkBrowser,
    page,
  }) => {
    const dee = clerk.addUser({ email: "dee@example.com", password: "correct horse battery", firstName: "Dee" });
    const ada = clerk.addUser({ email: "ada@example.com", password: "correct horse battery", firstName: "Ada" });
    const acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
    const globex = clerk.addOrganization({ name: "Globex Research", slug: "globex" });
    clerk.addMembership(dee, acme, "org:member");
    clerk.addMembership(dee, globex, "org:member");
    clerk.addMembership(ada, acme, "org:admin");
    await deliverWebhooks(clerk);
    await createProjectsAs(clerk, ada, acme, ["Acme moon rocket"]);
    const listed = () => page.getByTestId("project-name").allTextContents();

    await clerkBrowser.signInAs(dee);
    await page.goto(appUrl("/dashboard/projects"));
    await shown(page, "state-no-active-organization").waitFor();
    expect(await page.getByTestId("create-project").count()).toBe(0);

    await openOrganizationSwitcher(page);
    await page.getByRole("button", { name: "Globex Research" }).click();
    await page.getByTestId("state-no-projects").waitFor();
    const form = page.getByTestId("create-project");
    await form.getByLabel("Name").fill("Globex particle lab");
    await form.getByRole("button", { name: "Create project" }).click();
    await expect.poll(listed).toEqual(["Globex particle lab"]);

    await openOrganizationSwitcher(page);
    await page.getByRole("button", { name: "Acme Rockets" }).click();
    await expect.poll(listed).toEqual(["Acme moon rocket"]);

    await openOrganizationSwitcher(page);
    await page.getByRole("button", { name: "Globex Research" }).click();
    await expect.poll(listed).toEqual(["Globex particle lab"]);
  });
});
