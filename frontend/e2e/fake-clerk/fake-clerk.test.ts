// The kit's own rules, checked without a browser; what it answers in Clerk's place is checked
// against @clerk/backend's own authenticateRequest, the code clerkMiddleware runs.
import { createClerkClient } from "@clerk/backend";
import { decodeJwt } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { TEST_PUBLISHABLE_KEY } from "../support/test-build";
import { bundleFile, bundleVersionsOfClerkNextjs, pinsMismatch, PINNED_BUNDLES } from "./bundles";
import { answerFrontendApi, type FrontendApiResponse } from "./frontend-api";
import { answerHandshake } from "./handshake";
import { FakeClerk, frontendApiHostOf } from "./instance";
import type { ClientRecord, OrganizationRecord, SessionRecord, UserRecord } from "./records";
import { generateSigningKeys, packPermissions, sessionTokenClaims, type SigningKeys } from "./session-token";

describe("the pinned Clerk bundles", () => {
  it("are the versions the installed @clerk/nextjs loads", () => {
    expect(pinsMismatch(PINNED_BUNDLES, bundleVersionsOfClerkNextjs())).toBeNull();
  });

  it("are reported stale, with what to do, once @clerk/nextjs loads others", () => {
    const current = bundleVersionsOfClerkNextjs();
    const problem = pinsMismatch(PINNED_BUNDLES, { ...current, "@clerk/clerk-js": "6.99.0" });
    expect(problem).toContain("@clerk/clerk-js: @clerk/nextjs loads 6.99.0, the tests pin 6.40.0");
    expect(problem).not.toContain("@clerk/ui:");
    expect(problem).toContain("Update PINNED_BUNDLES");
  });

  it("answer the CDN's paths: the entry by major version, chunks by exact version, nothing else", () => {
    expect(bundleFile("/npm/@clerk/clerk-js@6/dist/clerk.browser.js")?.length).toBeGreaterThan(100_000);
    expect(bundleFile("/npm/@clerk/ui@1.36.0/dist/ui.browser.js")?.length).toBeGreaterThan(100_000);
    expect(bundleFile("/npm/@clerk/clerk-js@6.39.1/dist/clerk.browser.js")).toBeNull();
    expect(bundleFile("/npm/@clerk/clerk-js@6/dist/../package.json")).toBeNull();
    expect(bundleFile("/npm/@clerk/backend@3/dist/index.js")).toBeNull();
  });
});

describe("session tokens", () => {
  it("pack custom permissions the way Clerk's v2 claims do (bits of per, one bitmap per feature)", () => {
    // Clerk's documented example: dashboard manage+read, teams read.
    expect(packPermissions(["org:dashboard:manage", "org:dashboard:read", "org:teams:read", "org:sys_memberships:read"])).toEqual({
      fea: "o:dashboard,o:teams",
      per: "manage,read",
      fpm: "3,2",
    });
    expect(packPermissions(["org:sys_profile:manage"])).toBeNull();
  });

  it("carry the active organization under `o`, its role without the org: prefix", () => {
    const claims = sessionTokenClaims({
      issuer: "https://clerk.example.test",
      userId: "user_1",
      sessionId: "sess_1",
      authorizedParty: "http://example.test:8080",
      issuedAt: 1_000,
      organization: { id: "org_1", slug: "acme", role: "org:admin", permissions: ["org:projects:manage"] },
    });
    expect(claims).toMatchObject({ v: 2, iat: 1_000, nbf: 990, exp: 1_060, o: { id: "org_1", slg: "acme", rol: "admin", per: "manage", fpm: "1" }, fea: "o:projects" });
  });
});

describe("the publishable key", () => {
  it("names the Frontend API host the fake answers", () => {
    expect(frontendApiHostOf(`pk_live_${Buffer.from("clerk.example.test$").toString("base64")}`)).toBe("clerk.example.test");
  });

  it("of a development instance is refused: its browser sessions need Clerk's handshake", () => {
    expect(() => frontendApiHostOf(`pk_test_${Buffer.from("happy-cat-1.clerk.accounts.dev$").toString("base64")}`)).toThrow(/production publishable key/);
  });
});

const APP_ORIGIN = "http://example.test:8080";
/** @clerk/backend's default clock skew: a token counts as expired 5 s after its `exp`. */
const EXPIRED_FOR_CLERK_MS = (60 + 5 + 1) * 1000;

/**
 * What a browser keeps for the app's host: the cookies the handshake's directives and redirect
 * set, which the next request to the app carries.
 */
class AppCookies {
  private readonly cookies = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(initial)) this.cookies.set(name, value);
  }

  apply(setCookie: Iterable<string>): void {
    for (const directive of setCookie) {
      const [pair, ...attributes] = directive.split(";").map((part) => part.trim());
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      if (attributes.some((attribute) => /^max-age=0$/i.test(attribute))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

describe("what the fake answers in Clerk's place, as @clerk/backend's authenticateRequest takes it", () => {
  let keys: SigningKeys;
  let clerk: FakeClerk;
  let client: ClientRecord;
  let ada: UserRecord;
  let acme: OrganizationRecord;
  let globex: OrganizationRecord;

  beforeAll(async () => {
    keys = await generateSigningKeys();
  });

  beforeEach(() => {
    // Only Date: the fake, jose and @clerk/backend all read the time from it.
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-12-08T10:00:00Z") });
    clerk = new FakeClerk({ publishableKey: TEST_PUBLISHABLE_KEY, privatePem: keys.privatePem, appOrigin: APP_ORIGIN });
    client = clerk.createClient();
    ada = clerk.addUser({ email: "ada@example.com", password: "correct horse battery" });
    acme = clerk.addOrganization({ name: "Acme Rockets", slug: "acme" });
    globex = clerk.addOrganization({ name: "Globex Research", slug: "globex" });
    clerk.addMembership(ada, acme, "org:admin");
    clerk.addMembership(ada, globex, "org:member");
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  /** What clerkMiddleware concludes for a document request (a top-level navigation) with `cookies`. */
  function authenticate(url: string, cookies: AppCookies, authorizedParties?: string[]) {
    const server = createClerkClient({ publishableKey: TEST_PUBLISHABLE_KEY, secretKey: "sk_live_offline", jwtKey: keys.publicPem });
    const request = new Request(url, { headers: { cookie: cookies.header(), "sec-fetch-dest": "document", accept: "text/html" } });
    return server.authenticateRequest(request, authorizedParties ? { authorizedParties } : {});
  }

  /** The cookies a browser holds once clerk-js has signed it in: the session's token and `__client_uat`. */
  function signedInCookies(session: SessionRecord): AppCookies {
    return new AppCookies({ __session: session.lastActiveToken, __client_uat: String(Math.floor(client.updatedAt / 1000)) });
  }

  function tokenCall(session: SessionRecord, origin: string | null, form: Record<string, string> = {}): Promise<FrontendApiResponse | null> {
    return answerFrontendApi(clerk, client, {
      method: "POST",
      url: new URL(`https://clerk.example.test/v1/client/sessions/${session.id}/tokens`),
      form: new URLSearchParams(form),
      origin,
    });
  }

  it("mint tokens whose azp is the Origin of the request that asked for them, and without azp when it had none", async () => {
    const session = await clerk.startSession(client, ada, acme.id);
    expect(decodeJwt(session.lastActiveToken).azp).toBe(APP_ORIGIN);

    const fromClerkJs = (await tokenCall(session, APP_ORIGIN))?.body as { jwt: string };
    expect(decodeJwt(fromClerkJs.jwt)).toMatchObject({ azp: APP_ORIGIN, sid: session.id, o: { id: acme.id } });
    const withoutOrigin = (await tokenCall(session, null))?.body as { jwt: string };
    expect(decodeJwt(withoutOrigin.jwt)).not.toHaveProperty("azp");
  });

  it("refresh near expiry with a new token, valid 60 s from the refresh (clerk-js asks 17 s before exp)", async () => {
    const session = await clerk.startSession(client, ada, acme.id);
    const first = decodeJwt(session.lastActiveToken);
    vi.advanceTimersByTime(43_000);
    const refreshed = decodeJwt(((await tokenCall(session, APP_ORIGIN))?.body as { jwt: string }).jwt);
    expect(refreshed.iat).toBe((first.iat ?? 0) + 43);
    expect(refreshed.exp).toBe((refreshed.iat ?? 0) + 60);
    expect(refreshed.nbf).toBe((refreshed.iat ?? 0) - 10);
  });

  it("hand a returning visitor, whose cookie token expired, a fresh token without azp through the handshake", async () => {
    const session = await clerk.startSession(client, ada, acme.id);
    const expiredToken = session.lastActiveToken;
    const cookies = signedInCookies(session);
    vi.advanceTimersByTime(EXPIRED_FOR_CLERK_MS);

    const stale = await authenticate(`${APP_ORIGIN}/dashboard`, cookies);
    expect(stale.status).toBe("handshake");
    expect(stale.reason).toMatch(/^session-token-expired/);
    const handshakeUrl = new URL(stale.headers.get("location") ?? "");
    expect(`${handshakeUrl.origin}${handshakeUrl.pathname}`).toBe("https://clerk.example.test/v1/client/handshake");
    expect(handshakeUrl.searchParams.get("redirect_url")).toBe(`${APP_ORIGIN}/dashboard`);

    const handshake = await answerHandshake(clerk, client, handshakeUrl);
    if (handshake.status !== 307) throw new Error(JSON.stringify(handshake.body));
    expect(handshake.location).toBe(`${APP_ORIGIN}/dashboard`);
    cookies.apply(handshake.setCookie);

    const back = await authenticate(handshake.location, cookies);
    expect(back.status).toBe("signed-in");
    expect(back.token).not.toBe(expiredToken);
    expect(decodeJwt(back.token ?? "")).toMatchObject({ sub: ada.id, sid: session.id, o: { id: acme.id } });
    expect(decodeJwt(back.token ?? "")).not.toHaveProperty("azp");
    // The app's response carries the directives: the new token, and the consumed handshake cookie gone.
    cookies.apply(back.headers.getSetCookie());
    expect(cookies.get("__session")).toBe(back.token);
    expect(cookies.get("__clerk_handshake")).toBeUndefined();
    expect((await authenticate(`${APP_ORIGIN}/dashboard/projects`, cookies)).status).toBe("signed-in");
  });

  it("make the handshake's token fail @clerk/backend's check when authorizedParties is passed as it is (why the middleware decides per request)", async () => {
    const session = await clerk.startSession(client, ada, acme.id);
    const cookies = signedInCookies(session);
    vi.advanceTimersByTime(EXPIRED_FOR_CLERK_MS);
    const stale = await authenticate(`${APP_ORIGIN}/dashboard`, cookies, [APP_ORIGIN]);
    const handshake = await answerHandshake(clerk, client, new URL(stale.headers.get("location") ?? ""));
    if (handshake.status !== 307) throw new Error(JSON.stringify(handshake.body));
    cookies.apply(handshake.setCookie);

    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    const back = await authenticate(handshake.location, cookies, [APP_ORIGIN]);
    expect(back.status).not.toBe("signed-in");
    expect(String(consoleError.mock.calls[0]?.[1])).toContain("Invalid JWT Authorized party claim (azp) undefined");
  });

  it("keep a session ended elsewhere working on its cookie token until it expires; clerk-js's next token call and the handshake then sign the browser out", async () => {
    const session = await clerk.startSession(client, ada, acme.id);
    const cookies = signedInCookies(session);
    clerk.revokeSession(session);

    const refused = await tokenCall(session, APP_ORIGIN);
    expect(refused).toEqual({ status: 401, body: { errors: [expect.objectContaining({ code: "signed_out" })] } });
    vi.advanceTimersByTime(30_000);
    expect((await authenticate(`${APP_ORIGIN}/dashboard`, cookies)).status).toBe("signed-in");

    vi.advanceTimersByTime(EXPIRED_FOR_CLERK_MS);
    const stale = await authenticate(`${APP_ORIGIN}/dashboard`, cookies);
    expect(stale.status).toBe("handshake");
    const handshake = await answerHandshake(clerk, client, new URL(stale.headers.get("location") ?? ""));
    if (handshake.status !== 307) throw new Error(JSON.stringify(handshake.body));
    cookies.apply(handshake.setCookie);
    const back = await authenticate(handshake.location, cookies);
    expect(back.status).toBe("signed-out");
    cookies.apply(back.headers.getSetCookie());
    expect(cookies.get("__session")).toBeUndefined();
    expect(cookies.get("__client_uat")).toBe("0");
  });

  it("answer a token call for another session of a signed-in client as not found, as Clerk does", async () => {
    const session = await clerk.startSession(client, ada, acme.id);
    const refused = await tokenCall({ ...session, id: "sess_elsewhere" }, APP_ORIGIN);
    expect(refused).toEqual({ status: 404, body: { errors: [expect.objectContaining({ code: "resource_not_found" })] } });
  });

  it("mint the organization a tab names after another tab switched the session's, and hand the session's own to the handshake", async () => {
    const session = await clerk.startSession(client, ada, acme.id);
    // Another tab switches to Globex: the session's active organization is Globex from now on.
    await clerk.touchSession(client, session.id, { activeOrganizationId: globex.id }, APP_ORIGIN);
    // This tab's clerk-js still has Acme and names it when it refreshes its token.
    const thisTab = (await tokenCall(session, APP_ORIGIN, { organization_id: acme.id }))?.body as { jwt: string };
    expect(decodeJwt(thisTab.jwt)).toMatchObject({ o: { id: acme.id } });
    expect(session.activeOrganizationId).toBe(globex.id);
    // A navigation through the handshake gets the session's organization, whatever the tab had.
    vi.advanceTimersByTime(1_000);
    const handshakeUrl = new URL(`https://clerk.example.test/v1/client/handshake?redirect_url=${encodeURIComponent(`${APP_ORIGIN}/dashboard`)}`);
    const handshake = await answerHandshake(clerk, client, handshakeUrl);
    if (handshake.status !== 307) throw new Error(JSON.stringify(handshake.body));
    const cookies = new AppCookies();
    cookies.apply(handshake.setCookie);
    const back = await authenticate(handshake.location, cookies);
    expect(decodeJwt(back.token ?? "")).toMatchObject({ o: { id: globex.id } });
    // An organization the user is not a member of is refused, not minted without one.
    const initech = clerk.addOrganization({ name: "Initech", slug: "initech" });
    expect((await tokenCall(session, APP_ORIGIN, { organization_id: initech.id }))?.status).toBe(404);
  });

  it("redirect from the handshake only to the app's own domain", async () => {
    await clerk.startSession(client, ada, acme.id);
    for (const target of ["https://evil.test/dashboard", "javascript:alert(1)", "not a url"]) {
      const url = new URL(`https://clerk.example.test/v1/client/handshake?redirect_url=${encodeURIComponent(target)}`);
      expect(await answerHandshake(clerk, client, url)).toMatchObject({ status: 400 });
    }
    const subdomain = new URL(`https://clerk.example.test/v1/client/handshake?redirect_url=${encodeURIComponent("https://app.example.test/")}`);
    expect(await answerHandshake(clerk, client, subdomain)).toMatchObject({ status: 307, location: "https://app.example.test/" });
  });

  it("backdate what it mints, so a test has an expired session token without waiting", async () => {
    const session = await clerk.backdated(120, () => clerk.startSession(client, ada, acme.id));
    const claims = decodeJwt(session.lastActiveToken);
    expect(claims.exp).toBe(Math.floor(Date.now() / 1000) - 60);
    expect(Math.floor(client.updatedAt / 1000)).toBeLessThanOrEqual(claims.iat ?? 0);
    expect((await authenticate(`${APP_ORIGIN}/dashboard`, signedInCookies(session))).status).toBe("handshake");
  });
});
