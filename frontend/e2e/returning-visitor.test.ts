import { decodeJwt } from "jose";
import type { BrowserContext, Page } from "playwright-core";
import { describe, expect } from "vitest";

import { shown } from "./support/browser";
import { test } from "./support/fixtures";
import { appUrl, createProjectsAs, deliverWebhooks } from "./support/suite";

// A returning visitor: signed in a while ago, no page open since to refresh the 60-second
// session token, so the cookie holds an expired one. On a top-level navigation the app's server
// (clerkMiddleware) sends the browser through Clerk's handshake, whose fresh token carries no
// `azp` (a navigation has no Origin); the pages hand that token to the backend.

const PASSWORD = "correct horse battery";
/** Long enough ago for the session token signed in with to have expired, @clerk/backend's 5 s of leeway included. */
const AWAY_SECONDS = 120;

/** The session cookies the browser holds for the app, by name (the fake's and clerk-js's are Secure: no URL filter). */
async function sessionCookies(context: BrowserContext): Promise<Map<string, string>> {
  const cookies = await context.cookies();
  return new Map(cookies.filter(({ name }) => name === "__session" || name.startsWith("__session_")).map(({ name, value }) => [name, value]));
}

describe("a returning visitor whose session token expired meanwhile", () => {
  const landings = [
    { path: "/dashboard", shows: (page: Page) => shown(page, "profile-server").getByTestId("profile-email").textContent(), expected: "ada@example.com" },
    { path: "/dashboard/projects", shows: async (page: Page) => (await shown(page, "project-name").allTextContents()).join(), expected: "Apollo" },
  ];

  for (const { path, shows, expected } of landings) {
    test(`opens ${path} through Clerk's handshake, with a session token without azp that the backend accepts, and sees their data`, async ({
      clerk,
      clerkBrowser,
      context,
      page,
    }) => {
      const ada = clerk.addUser({ email: "ada@example.com", password: PASSWORD, firstName: "Ada" });
      const acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
      clerk.addMembership(ada, acme, "org:admin");
      await deliverWebhooks(clerk);
      await createProjectsAs(clerk, ada, acme, ["Apollo"]);
      const session = await clerk.backdated(AWAY_SECONDS, () => clerkBrowser.signInAs(ada, acme));
      const expiredToken = session.lastActiveToken;

      await page.goto(appUrl(path), { waitUntil: "domcontentloaded" });
      expect(clerkBrowser.handshakes.map((url) => url.searchParams.get("__clerk_hs_reason"))).toEqual([
        expect.stringMatching(/^session-token-expired/),
      ]);

      // The server rendered the page with the token the handshake set: Ada's, without azp, and
      // the backend answered with her data (it would say the session expired had it refused it).
      const handshakeToken = session.lastActiveToken;
      expect(handshakeToken).not.toBe(expiredToken);
      expect([...(await sessionCookies(context)).values()]).toEqual([handshakeToken, handshakeToken]);
      expect(decodeJwt(handshakeToken)).toMatchObject({ sub: ada.id, sid: session.id, o: { id: acme.id } });
      expect(decodeJwt(handshakeToken)).not.toHaveProperty("azp");
      await expect.poll(() => shows(page)).toContain(expected);
      expect(await page.getByTestId("state-session-expired").count()).toBe(0);
    });
  }

  test("keeps the handshake's token without azp until clerk-js's own token call, which has an Origin and puts the app's in azp", async ({
    clerk,
    clerkBrowser,
    context,
    page,
  }) => {
    const ada = clerk.addUser({ email: "ada@example.com", password: PASSWORD, firstName: "Ada" });
    await deliverWebhooks(clerk);
    await clerk.backdated(AWAY_SECONDS, () => clerkBrowser.signInAs(ada));
    await page.goto(appUrl("/dashboard"));
    const [handshakeToken] = (await sessionCookies(context)).values();
    expect(decodeJwt(handshakeToken)).not.toHaveProperty("azp");

    // What clerk-js's refresh timer does 17 s before the token expires, asked for now: clerk-js
    // calls the Frontend API with fetch from the page, so the request carries the page's Origin.
    await page.waitForFunction(() => (window as { Clerk?: { session?: unknown } }).Clerk?.session);
    const [refresh] = await Promise.all([
      page.waitForRequest((request) => request.method() === "POST" && /^\/v1\/client\/sessions\/[^/]+\/tokens$/.test(new URL(request.url()).pathname)),
      page.evaluate(() => (window as { Clerk?: { session?: { getToken(options: object): Promise<string> } } }).Clerk?.session?.getToken({ skipCache: true })),
    ]);
    const origin = new URL(appUrl()).origin;
    expect(await refresh.headerValue("origin")).toBe(origin);
    const refreshed = (await (await refresh.response())?.json()) as { jwt: string };
    expect(decodeJwt(refreshed.jwt).azp).toBe(origin);
    // clerk-js writes its token to the cookie, the app's origin in azp from now on.
    await expect
      .poll(async () => [...(await sessionCookies(context)).values()].map((token) => decodeJwt(token).azp))
      .toEqual([origin, origin]);
  });

  test("whose session was ended elsewhere is signed out by the handshake and sent to sign in", async ({ clerk, clerkBrowser, context, page }) => {
    const ada = clerk.addUser({ email: "ada@example.com", password: PASSWORD, firstName: "Ada" });
    await deliverWebhooks(clerk);
    const session = await clerk.backdated(AWAY_SECONDS, () => clerkBrowser.signInAs(ada));
    // Revoked from another device, or by an operator in Clerk's Dashboard.
    clerk.revokeSession(session);

    await page.goto(appUrl("/dashboard"));
    expect(clerkBrowser.handshakes).toHaveLength(1);
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    expect(await sessionCookies(context)).toEqual(new Map());
    const clientUat = (await context.cookies()).filter(({ name }) => name.startsWith("__client_uat")).map(({ value }) => value);
    expect(clientUat).toEqual(["0", "0"]);
  });
});
