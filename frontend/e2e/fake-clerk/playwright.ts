import { getCookieSuffix } from "@clerk/shared/keys";
import type { BrowserContext, Page, Route } from "playwright-core";

import { bundleFile } from "./bundles";
import { answerFrontendApi, NOT_FOUND, type FrontendApiResponse } from "./frontend-api";
import { answerHandshake, HANDSHAKE_PATH } from "./handshake";
import { appDomainOf, type FakeClerk } from "./instance";
import type { ClientRecord, OrganizationRecord, SessionRecord, UserRecord } from "./records";

/**
 * Chromium flags for an app served at `appOrigin` (http://example.test:PORT, the publishable
 * key's domain): the name resolves to this machine, and the origin counts as secure, which
 * clerk-js needs (`crypto.subtle`) and which http on a name other than localhost is not.
 */
export function chromiumArgsForApp(appOrigin: string): string[] {
  const url = new URL(appOrigin);
  return [`--host-resolver-rules=MAP ${url.hostname} 127.0.0.1`, `--unsafely-treat-insecure-origin-as-secure=${url.origin}`];
}

/**
 * Where the browser opens an app listening on `port` of this machine: on the publishable key's
 * domain (`clerk.example.test` → `example.test`), as in production, so the Frontend API's
 * cookies reach the app.
 */
export function appOriginFor(publishableKey: string, port: number | string): string {
  return `http://${appDomainOf(publishableKey)}:${port}`;
}

/** One browser context's view of the fake: its Clerk client and what it asked for that the fake does not answer. */
export type ClerkBrowser = {
  client: ClientRecord;
  /**
   * `METHOD /path` of every Frontend API call the fake answered 404, and of every handshake it
   * refused: none is expected.
   */
  unanswered: string[];
  /**
   * Every handshake the app's server sent the browser through, oldest first (Playwright reports
   * no request event for them: see serveHandshakeOn).
   */
  handshakes: URL[];
  /** A new page of the context, ready for Clerk's handshake before anything loads in it. */
  newPage(): Promise<Page>;
  /**
   * Signs the browser in without going through `<SignIn/>`, as if it had: a session on its
   * client and the cookies clerk-js would have set. For tests of pages behind sign-in.
   */
  signInAs(user: UserRecord, activeOrganization?: OrganizationRecord): Promise<SessionRecord>;
};

/**
 * Serves Clerk's Frontend API host to `context`: clerk-js and Clerk UI from the pinned npm
 * packages, the API from `clerk`. The page keeps running exactly the app's code: ClerkProvider
 * loads both bundles from the publishable key's host, which is this one.
 */
export async function attachFakeClerk(context: BrowserContext, clerk: FakeClerk): Promise<ClerkBrowser> {
  const client = clerk.createClient();
  const unanswered: string[] = [];
  const appOrigin = new URL(clerk.settings.appOrigin).origin;
  const cookieSuffix = await getCookieSuffix(clerk.publishableKey);
  const clientUatCookies = ["__client_uat", `__client_uat_${cookieSuffix}`];

  const handshakes: URL[] = [];
  const handshake = async (url: URL): Promise<HttpAnswer> => {
    handshakes.push(url);
    const answer = await answerHandshake(clerk, client, url);
    if (answer.status !== 307) {
      unanswered.push(`GET ${HANDSHAKE_PATH} (${JSON.stringify(answer.body)})`);
      return { status: answer.status, headers: [{ name: "content-type", value: "application/json" }], body: JSON.stringify(answer.body) };
    }
    const headers = [{ name: "location", value: answer.location }, { name: "cache-control", value: "no-store" }];
    return { status: answer.status, headers: [...headers, ...answer.setCookie.map((value) => ({ name: "set-cookie", value }))], body: "" };
  };
  const pagesServed = new WeakMap<Page, Promise<void>>();
  const serve = (page: Page): Promise<void> => {
    let served = pagesServed.get(page);
    if (!served) {
      served = serveHandshakeOn(context, page, `https://${clerk.frontendApiHost}${HANDSHAKE_PATH}`, handshake);
      pagesServed.set(page, served);
    }
    return served;
  };
  // Pages the app opens itself, too (they may close before the interception is on: nothing to serve then).
  context.on("page", (page) => void serve(page).catch(() => {}));

  await context.route(`https://${clerk.frontendApiHost}/**`, async (route: Route) => {
    const url = new URL(route.request().url());
    if (url.pathname.startsWith("/npm/")) return serveBundleFile(route, url);
    if (route.request().method() === "OPTIONS") return route.fulfill({ status: 204, headers: corsHeaders(route, appOrigin) });
    // Reached here only by a navigation of its own (see serveHandshakeOn for the app's redirect).
    if (url.pathname === HANDSHAKE_PATH && route.request().method() === "GET") {
      const { status, headers, body } = await handshake(url);
      // Playwright sends each line of a header value as a header of its own.
      return route.fulfill({ status, body, headers: Object.fromEntries(groupHeaders(headers)) });
    }
    const answer = await answerFrontendApi(clerk, client, {
      method: route.request().method(),
      url,
      form: new URLSearchParams(route.request().postData() ?? ""),
      origin: await route.request().headerValue("origin"),
    });
    if (!answer) unanswered.push(`${route.request().method()} ${url.pathname}`);
    const setCookie = clientUatCookies.map((name) => clientUatCookie(name, clientUat(client), clerk.appDomain));
    return fulfillFrontendApi(route, appOrigin, answer ?? NOT_FOUND, setCookie);
  });

  return {
    client,
    unanswered,
    handshakes,
    async newPage() {
      const page = await context.newPage();
      await serve(page);
      return page;
    },
    async signInAs(user, activeOrganization) {
      const session = await clerk.startSession(client, user, activeOrganization?.id ?? null);
      // What clerk-js (the session token, host-only) and the Frontend API (`__client_uat`, on the
      // whole domain) would have set, suffixed and not: servers pick one pair by rules of their own.
      const token = { value: session.lastActiveToken, url: appOrigin, sameSite: "Lax" as const };
      const uat = { value: String(clientUat(client)), domain: `.${clerk.appDomain}`, path: "/", sameSite: "None" as const, secure: true };
      await context.addCookies([
        { name: "__session", ...token },
        { name: `__session_${cookieSuffix}`, ...token },
        ...clientUatCookies.map((name) => ({ name, ...uat })),
      ]);
      return session;
    },
  };
}

type HttpAnswer = { status: number; headers: { name: string; value: string }[]; body: string };

/**
 * Answers `url` (Clerk's handshake endpoint) on `page`. A browser reaches it only by following
 * the redirect of the app's server, and Playwright continues every redirected request without
 * asking its route handlers ("The handler will only be called for the first url if the response
 * is a redirect", Page.route's documentation). So the fake intercepts it through a DevTools
 * session of its own, with Chromium's Fetch domain: Playwright's interception hands redirected
 * requests on to it, and the browser follows the answer as it would Clerk's.
 */
async function serveHandshakeOn(context: BrowserContext, page: Page, url: string, answer: (url: URL) => Promise<HttpAnswer>): Promise<void> {
  const devtools = await context.newCDPSession(page);
  devtools.on("Fetch.requestPaused", async ({ requestId, request }) => {
    const { status, headers, body } = await answer(new URL(request.url));
    await devtools
      .send("Fetch.fulfillRequest", { requestId, responseCode: status, responseHeaders: headers, body: Buffer.from(body).toString("base64") })
      .catch(() => {}); // the page closed meanwhile
  });
  await devtools.send("Fetch.enable", { patterns: [{ urlPattern: `${url}*`, requestStage: "Request" }] });
}

/** Header lines as Playwright's `fulfill` takes them: one value per name, repeated lines joined by line breaks. */
function groupHeaders(headers: { name: string; value: string }[]): Map<string, string> {
  const grouped = new Map<string, string>();
  for (const { name, value } of headers) grouped.set(name, grouped.has(name) ? `${grouped.get(name)}\n${value}` : value);
  return grouped;
}

/** Scripts load with crossorigin="anonymous": any origin may read them, as from Clerk's CDN. */
function serveBundleFile(route: Route, url: URL): Promise<void> {
  const file = bundleFile(url.pathname);
  if (!file) return route.fulfill({ status: 404, body: `not a file of the pinned Clerk bundles: ${url.pathname}` });
  return route.fulfill({
    status: 200,
    body: file,
    headers: { "content-type": "application/javascript; charset=utf-8", "access-control-allow-origin": "*" },
  });
}

function fulfillFrontendApi(route: Route, appOrigin: string, answer: FrontendApiResponse, setCookie: string[]): Promise<void> {
  return route.fulfill({
    status: answer.status,
    // Playwright sends each line of `set-cookie` as a header of its own.
    headers: { ...corsHeaders(route, appOrigin), "content-type": "application/json", "set-cookie": setCookie.join("\n") },
    body: JSON.stringify(answer.body),
  });
}

/** clerk-js calls with credentials: answers and preflights name the app's origin and allow them. */
function corsHeaders(route: Route, appOrigin: string): Record<string, string> {
  return {
    "access-control-allow-origin": appOrigin,
    "access-control-allow-credentials": "true",
    "access-control-allow-methods": "GET, POST, PATCH, DELETE, OPTIONS",
    "access-control-allow-headers": route.request().headers()["access-control-request-headers"] ?? "content-type",
    vary: "origin",
  };
}

/** When the client last changed, in seconds, while it has a signed-in session; else 0 (signed out). */
function clientUat(client: ClientRecord): number {
  return client.sessions.length > 0 ? Math.floor(client.updatedAt / 1000) : 0;
}

/**
 * The cookie Clerk's Frontend API sets on the app's whole domain with every answer; servers
 * compare it with the session token's `iat`. SameSite=None because the tests serve the app over
 * plain http: Chromium counts http and https as different sites, while in production both are https.
 */
function clientUatCookie(name: string, value: number, domain: string): string {
  return `${name}=${value}; Domain=${domain}; Path=/; Max-Age=31536000; SameSite=None; Secure`;
}
