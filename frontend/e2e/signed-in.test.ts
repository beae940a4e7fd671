import { execFileSync } from "node:child_process";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

import { launchBrowser, newContext, saveReadmeScreenshot, signIn, withScreenshotOnFailure } from "./support/browser";
import { BACKEND_DIR } from "./support/stack";
import { deliver, membershipCreated, organizationCreated, userCreated } from "./support/webhooks";

const suffix = Date.now().toString(36);
const ada = { userId: `user_ada${suffix}`, email: `ada.${suffix}@example.com`, firstName: "Ada", lastName: "Lovelace" };
const acme = { organizationId: `org_acme${suffix}`, name: "Acme Rockets", slug: `acme-${suffix}` };
const globex = { organizationId: `org_globex${suffix}`, name: "Globex Research", slug: `globex-${suffix}` };

let browser: Browser;
let context: BrowserContext;
let page: Page;

async function control(command: string) {
  const response = await fetch(inject("controlUrl"), { method: "POST", body: command });
  expect(response.status).toBe(200);
  return response.json();
}

beforeAll(async () => {
  // Seeded the way Clerk would: signed webhook deliveries through nginx, never rows written directly.
  const url = inject("stack").url;
  const secret = inject("webhookSecret");
  for (const event of [
    userCreated(ada),
    organizationCreated(acme),
    organizationCreated(globex),
    membershipCreated(`orgmem_a${suffix}`, ada, acme, "org:admin"),
    membershipCreated(`orgmem_g${suffix}`, ada, globex, "org:member"),
  ]) {
    const response = await deliver(url, secret, event);
    expect(response.status, await response.text()).toBe(200);
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
});

async function openDashboard(name: string, check: (page: Page) => Promise<void>) {
  await withScreenshotOnFailure(page, name, async () => {
    await page.goto(`${inject("stack").url}/dashboard`);
    await check(page);
  });
}

describe("a signed-in user", () => {
  beforeAll(async () => {
    context = await newContext(browser);
    page = await context.newPage();
  });
  afterAll(async () => context?.close());

  it("sees the profile and organizations the backend holds", async () => {
    await signIn(context, ada.userId);
    await openDashboard("dashboard-profile", async (page) => {
      await expect.poll(() => page.getByTestId("profile-email").textContent()).toBe(ada.email);
      expect(await page.getByTestId("profile-name").textContent()).toBe("Ada Lovelace");
      const organizations = await page.getByTestId("organization").allTextContents();
      expect(organizations).toHaveLength(2);
      expect(organizations.find((text) => text.includes("Acme Rockets"))).toContain("admin");
      expect(organizations.find((text) => text.includes("Globex Research"))).toContain("member");
      expect(await page.getByTestId("active-organization-none").isVisible()).toBe(true);
    });
  });

  it("sees the active organization change with the one in the session token", async () => {
    await signIn(context, ada.userId, { id: acme.organizationId, slug: acme.slug, role: "org:admin" });
    await openDashboard("dashboard-active-acme", async (page) => {
      const active = page.getByTestId("active-organization");
      await expect.poll(() => active.textContent()).toContain("Acme Rockets");
      expect(await page.getByTestId("active-role").textContent()).toBe("admin");
      await saveReadmeScreenshot(page, "dashboard");
    });

    await signIn(context, ada.userId, { id: globex.organizationId, slug: globex.slug, role: "org:member" });
    await openDashboard("dashboard-active-globex", async (page) => {
      const active = page.getByTestId("active-organization");
      await expect.poll(() => active.textContent()).toContain("Globex Research");
      expect(await page.getByTestId("active-role").textContent()).toBe("member");
    });
  });

  it("who has just signed up, before any webhook arrived, gets a dashboard that says the profile is being completed", async () => {
    await signIn(context, `user_brandnew${suffix}`);
    await openDashboard("dashboard-just-signed-up", async (page) => {
      await expect.poll(() => page.getByTestId("state-completing").isVisible()).toBe(true);
      expect(await page.getByTestId("state-no-organizations").isVisible()).toBe(true);
      expect(await page.getByTestId("profile-email").textContent()).toBe("No email address");
    });
  });

  it("is told the server is unreachable when the backend is down, and gets the dashboard back after", async () => {
    await signIn(context, ada.userId);
    await control("stop backend");
    try {
      await openDashboard("dashboard-backend-down", async (page) => {
        await expect.poll(() => page.getByTestId("state-backend-unreachable").isVisible()).toBe(true);
        expect(await page.getByTestId("state-backend-unreachable").textContent()).toContain("can't reach the server");
      });
    } finally {
      await control("start backend");
    }
    await openDashboard("dashboard-backend-back", async (page) => {
      await expect.poll(() => page.getByTestId("profile-email").textContent()).toBe(ada.email);
    });
  });
});

describe("an operator in the Django admin, through nginx", () => {
  const operator = { email: `ops.${suffix}@example.com`, password: `admin-${suffix}-Secret!` };

  beforeAll(async () => {
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
    context = await newContext(browser);
    page = await context.newPage();
  });
  afterAll(async () => context?.close());

  it("logs in and finds the synced user and organization", async () => {
    const url = inject("stack").url;
    await withScreenshotOnFailure(page, "admin", async () => {
      await page.goto(`${url}/admin/login/`);
      await page.fill("input[name=username]", operator.email);
      await page.fill("input[name=password]", operator.password);
      await Promise.all([page.waitForURL(`${url}/admin/`), page.click("input[type=submit]")]);

      await page.goto(`${url}/admin/users/user/?q=${encodeURIComponent(ada.userId)}`);
      expect(await page.locator("#result_list").textContent()).toContain(ada.email);

      await page.goto(`${url}/admin/users/organization/`);
      const organizations = await page.locator("#result_list").textContent();
      expect(organizations).toContain("Acme Rockets");
      expect(organizations).toContain("Globex Research");
    });
  });
});
