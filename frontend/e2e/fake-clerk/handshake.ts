// Clerk's handshake, as the Frontend API of a production instance answers it. When the app's
// server (clerkMiddleware) finds the session cookie stale on a document request, it redirects
// the browser to GET /v1/client/handshake?redirect_url=…; the Frontend API reads its own client
// cookie, mints a fresh session token and redirects back with a `__clerk_handshake` cookie on
// the app's domain: a JWT signed with the instance key whose `handshake` claim lists the
// Set-Cookie directives the app's server then sends (@clerk/backend's HandshakeService).
import { getCookieSuffix } from "@clerk/shared/keys";

import { isOnDomain } from "./frontend-api";
import type { FakeClerk } from "./instance";
import type { ClientRecord } from "./records";
import { errorJSON, type ErrorBody } from "./resources";

export const HANDSHAKE_PATH = "/v1/client/handshake";

export type HandshakeResponse =
  | { status: 307; location: string; setCookie: string[] }
  | { status: 400; body: ErrorBody };

/** Cookies the handshake sets live as long as clerk-js's own (a year): the token inside expires on its own. */
const COOKIE_MAX_AGE_SECONDS = 365 * 24 * 3600;
/** The handshake cookie only has to survive the redirect back to the app. */
const HANDSHAKE_COOKIE_MAX_AGE_SECONDS = 60;

/**
 * Answers `GET /v1/client/handshake` for the browser whose client is `client`. The token minted
 * here has no `azp`: a top-level navigation carries no `Origin` for Clerk to copy.
 *
 * @clerk/backend 3.25 asks for `format=nonce`, and Clerk answers with a `__clerk_handshake_nonce`
 * cookie when the payload is over 2 KB: the app's server then fetches the directives from the
 * Backend API with its secret key. The fake always sends the payload itself in the
 * `__clerk_handshake` cookie (Clerk's answer for smaller payloads), which @clerk/backend verifies
 * with the instance key alone: the Backend API is out of reach in the tests.
 */
export async function answerHandshake(clerk: FakeClerk, client: ClientRecord, url: URL): Promise<HandshakeResponse> {
  const redirectUrl = allowedRedirectUrl(url.searchParams.get("redirect_url"), clerk.appDomain);
  if (!redirectUrl) {
    return {
      status: 400,
      body: errorJSON(
        "invalid_redirect_url",
        "is invalid",
        "The handshake redirects only to the application's own domain (the instance's allowed redirect origins).",
        "redirect_url",
      ),
    };
  }
  const suffixed = url.searchParams.get("suffixed_cookies") === "true";
  const names = suffixed ? ["", `_${await getCookieSuffix(clerk.publishableKey)}`] : [""];
  const token = await clerk.handshakeSessionToken(client);
  const domain = `Domain=${clerk.appDomain}`;
  const directives = [
    // Consumed: a stale payload must not be read again on the next request.
    `__clerk_handshake=; Path=/; ${domain}; Max-Age=0`,
    ...names.map((suffix) =>
      token
        ? `__session${suffix}=${token}; Path=/; Max-Age=${COOKIE_MAX_AGE_SECONDS}; SameSite=Lax; Secure`
        : `__session${suffix}=; Path=/; Max-Age=0`,
    ),
    // The client's last change, never later than the token's `iat`; 0 when signed out.
    ...names.map(
      (suffix) =>
        `__client_uat${suffix}=${token ? Math.floor(client.updatedAt / 1000) : 0}; Path=/; ${domain}; Max-Age=${COOKIE_MAX_AGE_SECONDS}; SameSite=Lax; Secure`,
    ),
  ];
  const payload = await clerk.signHandshake(directives);
  return {
    status: 307,
    location: redirectUrl.href,
    setCookie: [`__clerk_handshake=${payload}; Path=/; ${domain}; Max-Age=${HANDSHAKE_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax; Secure; HttpOnly`],
  };
}

/** The instance's allowed redirect origins, for a production instance: its own domain and subdomains. */
function allowedRedirectUrl(value: string | null, appDomain: string): URL | null {
  if (!value || !URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  return isOnDomain(url.hostname, appDomain) ? url : null;
}
