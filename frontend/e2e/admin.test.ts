import { execFileSync } from "node:child_process";

import { describe, expect, inject } from "vitest";

import { test } from "./support/fixtures";
import { BACKEND_DIR } from "./support/stack";
import { appUrl, deliverWebhooks } from "./support/suite";

describe("an operator in the Django admin, through nginx", () => {
  test("logs in and finds the users and organizations Clerk's webhooks synced", async ({ clerk, page }) => {
    const hedy = clerk.addUser({ email: "hedy@example.com", password: "correct horse battery", firstName: "Hedy" });
    const initech = clerk.addOrganization({ name: "Initech", slug: "initech" });
    clerk.addMembership(hedy, initech, "org:admin");
    await deliverWebhooks(clerk);
    const operator = { email: "ops@example.com", password: "an operator's Secret-1" };
    execFileSync("uv", ["run", "python", "manage.py", "createsuperuser", "--noinput"], {
      cwd: BACKEND_DIR,
      env: {
        ...process.env,
        DJANGO_ENV_FILE: "",
        DJANGO_SECRET_KEY: "browser-tests",
        DATABASE_URL: inject("stack").database_url,
        DJANGO_SUPERUSER_EMAIL: operator.email,
        DJANGO_SUPERUSER_PASSWORD: operator.password,
      },
      stdio: "pipe",
    });

    const admin = appUrl("/admin");
    await page.goto(`${admin}/login/`);
    await page.fill("input[name=username]", operator.email);
    await page.fill("input[name=password]", operator.password);
    await Promise.all([page.waitForURL(`${admin}/`), page.click("input[type=submit]")]);

    await page.goto(`${admin}/users/user/?q=${encodeURIComponent(hedy.id)}`);
    expect(await page.locator("#result_list").textContent()).toContain(hedy.email);
    await page.goto(`${admin}/users/organization/?q=${initech.id}`);
    expect(await page.locator("#result_list").textContent()).toContain("Initech");
  });
});
