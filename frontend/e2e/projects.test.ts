import type { Page } from "playwright-core";
import { describe, expect } from "vitest";

import { clerkLoaded, saveReadmeScreenshot, shown } from "./support/browser";
import { test } from "./support/fixtures";
import { appUrl, createProjectsAs, deliverWebhooks } from "./support/suite";

const PASSWORD = "correct horse battery";

/** Fills the "New project" form and submits it. */
async function createProject(page: Page, name: string, description = "") {
  await clerkLoaded(page);
  const form = page.getByTestId("create-project");
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Description").fill(description);
  await form.getByRole("button", { name: "Create project" }).click();
}

/** The names the list shows, in its order. */
async function listedProjects(page: Page): Promise<string[]> {
  return shown(page, "project-name").allTextContents();
}

describe("the projects of an organization, on /dashboard/projects", () => {
  test("a member creates a project and sees it; an admin of the organization deletes it; another organization never sees it", async ({
    clerk,
    clerkBrowser,
    page,
    pageOf,
  }) => {
    const bob = clerk.addUser({ email: "bob@example.com", password: PASSWORD, firstName: "Bob", lastName: "Builder" });
    const ada = clerk.addUser({ email: "ada@example.com", password: PASSWORD, firstName: "Ada" });
    const carol = clerk.addUser({ email: "carol@example.com", password: PASSWORD, firstName: "Carol" });
    const acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
    const globex = clerk.addOrganization({ name: "Globex Research", slug: "globex" });
    clerk.addMembership(bob, acme, "org:member");
    clerk.addMembership(ada, acme, "org:admin");
    clerk.addMembership(carol, globex, "org:admin");
    await deliverWebhooks(clerk);

    await clerkBrowser.signInAs(bob, acme);
    await page.goto(appUrl("/dashboard/projects"));
    await shown(page, "state-no-projects").waitFor();

    await createProject(page, "Apollo", "To the moon and back");
    await expect.poll(() => page.getByTestId("create-project-saved").textContent()).toBe("Created “Apollo”.");
    expect(await listedProjects(page)).toEqual(["Apollo"]);
    const row = page.getByTestId("project");
    expect(await row.textContent()).toContain("To the moon and back");
    expect(await row.getByTestId("project-meta").textContent()).toMatch(/^Created by you on \d{1,2} \w{3} \d{4}$/);
    // Bob created it: he may change it, but only an admin deletes, so he is not offered it.
    expect(await row.getByTestId("edit-project-link").count()).toBe(1);
    expect(await row.getByTestId("delete-project").count()).toBe(0);
    expect(await page.getByTestId("project-name-input").inputValue()).toBe("");
    const projectPath = await row.getByTestId("project-name").getAttribute("href");
    expect(projectPath).toMatch(/^\/dashboard\/projects\/prj_\w+$/);

    await row.getByTestId("edit-project-link").click();
    await page.waitForURL(appUrl(projectPath ?? ""));
    const edit = page.getByTestId("edit-project");
    await edit.getByLabel("Name").fill("Apollo 11");
    await edit.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByTestId("edit-project-saved").textContent()).toBe("Changes saved.");
    expect(await page.getByTestId("project-title").textContent()).toBe("Apollo 11");
    await page.getByTestId("all-projects").click();
    await expect.poll(() => listedProjects(page)).toEqual(["Apollo 11"]);

    // Reading what the server rendered needs no script: no waiting for Clerk's to load.
    const carolsPage = await pageOf(carol, globex);
    await carolsPage.goto(appUrl("/dashboard/projects"), { waitUntil: "domcontentloaded" });
    await shown(carolsPage, "state-no-projects").waitFor();
    await carolsPage.goto(appUrl(projectPath ?? ""), { waitUntil: "domcontentloaded" });
    await shown(carolsPage, "state-project-not-found").waitFor();
    expect(await carolsPage.textContent("body")).not.toContain("Apollo");

    const adasPage = await pageOf(ada, acme);
    await adasPage.goto(appUrl("/dashboard/projects"));
    const adasRow = shown(adasPage, "project");
    expect(await adasRow.getByTestId("project-meta").textContent()).toContain("Created by Bob Builder");
    await saveReadmeScreenshot(adasPage, "projects", adasPage.getByTestId("organization-switcher").getByRole("button").first());
    await adasRow.getByRole("button", { name: "Delete Apollo 11" }).click();
    await adasPage.getByTestId("state-deleted").waitFor();
    expect(await adasPage.getByTestId("state-no-projects").isVisible()).toBe(true);

    await page.reload({ waitUntil: "domcontentloaded" });
    await shown(page, "state-no-projects").waitFor();
  });

  test("a taken name and an invalid one are refused by the backend, naming the field, and what was typed is kept", async ({
    clerk,
    clerkBrowser,
    page,
  }) => {
    const bob = clerk.addUser({ email: "bob@example.com", password: PASSWORD, firstName: "Bob" });
    const ada = clerk.addUser({ email: "ada@example.com", password: PASSWORD, firstName: "Ada" });
    const acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
    clerk.addMembership(bob, acme, "org:member");
    clerk.addMembership(ada, acme, "org:admin");
    await deliverWebhooks(clerk);
    await createProjectsAs(clerk, ada, acme, ["Apollo"]);

    await clerkBrowser.signInAs(bob, acme);
    await page.goto(appUrl("/dashboard/projects"));
    const name = page.getByTestId("project-name-input");
    const refusal = page.getByTestId("create-project-refused");

    await createProject(page, "apollo", "a second one");
    await expect.poll(() => refusal.textContent()).toBe("A project named “apollo” already exists in this organization. Choose another name.");
    expect(await name.getAttribute("aria-invalid")).toBe("true");
    expect(await name.inputValue()).toBe("apollo");
    expect(await page.getByTestId("project-description-input").inputValue()).toBe("a second one");

    // Spaces pass the browser's `required`; the backend trims them and refuses the name.
    await createProject(page, "   ");
    await expect.poll(() => refusal.textContent()).toBe("The server refused the form: invalid name: must be 1 to 100 characters.");
    expect(await listedProjects(page)).toEqual(["Apollo"]);
  });

  test("a member who forges an admin's delete form is refused by the backend, and the page says so", async ({
    clerk,
    clerkBrowser,
    page,
    pageOf,
  }) => {
    const bob = clerk.addUser({ email: "bob@example.com", password: PASSWORD, firstName: "Bob" });
    const ada = clerk.addUser({ email: "ada@example.com", password: PASSWORD, firstName: "Ada" });
    const acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
    clerk.addMembership(bob, acme, "org:member");
    clerk.addMembership(ada, acme, "org:admin");
    await deliverWebhooks(clerk);
    const [apollo] = await createProjectsAs(clerk, ada, acme, ["Apollo"]);
    const projectUrl = appUrl(`/dashboard/projects/${apollo}`);

    // The admin's page carries the delete form (the Server Action's id and the project's id)...
    const adasPage = await pageOf(ada, acme);
    await adasPage.goto(projectUrl, { waitUntil: "domcontentloaded" });
    const adminsForm = await shown(adasPage, "delete-project-form").evaluate((form) => form.outerHTML);

    // ...which the member's page does not offer: he copies it into his own and submits it.
    await clerkBrowser.signInAs(bob, acme);
    await page.goto(projectUrl);
    // Hydrated and settled (clerk-js loads after React hydrates) before foreign markup joins the page.
    await clerkLoaded(page);
    expect(await shown(page, "project-title").textContent()).toBe("Apollo");
    expect(await page.getByTestId("delete-project-form").count()).toBe(0);
    expect(await page.getByTestId("edit-project").count()).toBe(0);
    await page.evaluate((html) => {
      const forged = document.createElement("div");
      forged.id = "forged";
      forged.innerHTML = html;
      document.body.append(forged);
    }, adminsForm);
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get("refused") === "not-allowed"),
      page.locator("#forged form").evaluate((form: HTMLFormElement) => form.requestSubmit()),
    ]);

    await expect
      .poll(() => page.getByTestId("state-delete-refused").textContent())
      .toBe("Only an admin of this organization can delete a project.");
    await expect.poll(() => shown(page, "project-title").allTextContents()).toEqual(["Apollo"]);
    await adasPage.goto(appUrl("/dashboard/projects"), { waitUntil: "domcontentloaded" });
    await expect.poll(() => listedProjects(adasPage)).toEqual(["Apollo"]);
  });

  test("lists twenty projects a page, newest first, with the next page through the cursor", async ({ clerk, clerkBrowser, page }) => {
    const ada = clerk.addUser({ email: "ada@example.com", password: PASSWORD, firstName: "Ada" });
    const acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
    clerk.addMembership(ada, acme, "org:admin");
    await deliverWebhooks(clerk);
    const names = Array.from({ length: 21 }, (_, index) => `Project ${String(index + 1).padStart(2, "0")}`);
    await createProjectsAs(clerk, ada, acme, names);

    await clerkBrowser.signInAs(ada, acme);
    await page.goto(appUrl("/dashboard/projects"));
    const newestFirst = [...names].reverse();
    await expect.poll(() => listedProjects(page)).toEqual(newestFirst.slice(0, 20));
    expect(await page.getByTestId("first-page").count()).toBe(0);

    await page.getByTestId("next-page").click();
    await page.waitForURL((url) => url.searchParams.has("cursor"));
    await expect.poll(() => listedProjects(page)).toEqual(["Project 01"]);
    expect(await page.getByTestId("next-page").count()).toBe(0);

    await page.getByTestId("first-page").click();
    await page.waitForURL(appUrl("/dashboard/projects"));
    await expect.poll(() => listedProjects(page)).toEqual(newestFirst.slice(0, 20));
  });
});
