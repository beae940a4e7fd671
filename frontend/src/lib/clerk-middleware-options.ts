// What Clerk's middleware (src/proxy.ts) is given: from the environment, and for each request.

type Env = Record<string, string | undefined>;

export type ClerkVerificationOptions = { jwtKey?: string; authorizedParties?: string[] };

/**
 * `jwtKey` from CLERK_JWT_KEY and `authorizedParties` from CLERK_AUTHORIZED_PARTIES.
 * @clerk/nextjs reads neither by itself: without `jwtKey` it fetches the signing keys from
 * Clerk's API, and without `authorizedParties` it accepts a token minted for any site.
 */
export function clerkVerificationOptions(env: Env = process.env): ClerkVerificationOptions {
  const jwtKey = pemFromEnv(env.CLERK_JWT_KEY);
  const authorizedParties = (env.CLERK_AUTHORIZED_PARTIES ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  return {
    ...(jwtKey ? { jwtKey } : {}),
    ...(authorizedParties.length > 0 ? { authorizedParties } : {}),
  };
}

/**
 * The options for each request, read from the environment once: the backend's `azp` rule
 * (docs/security.md, "The azp rule"), applied before @clerk/backend verifies anything.
 *
 * Clerk's Frontend API copies the `Origin` of the request that mints a session token into
 * `azp`, and a top-level navigation has none: the token its handshake puts in the cookie of a
 * returning visitor has no `azp`. @clerk/backend >= 3.11.1 refuses such a token whenever
 * `authorizedParties` is passed, which would sign that visitor out. So `authorizedParties` is
 * left out when a session token this request offers has no `azp`, and only when none it offers
 * names a party outside the list: a token of another site is refused whatever else the request
 * carries. CLERK_REQUIRE_AZP=true passes `authorizedParties` always, as @clerk/backend does.
 *
 * Reading `azp` before the signature is checked is safe: the signature is still verified, and
 * a claim cannot be removed from a signed token.
 */
export function clerkMiddlewareOptions(env: Env = process.env): (request: Request) => ClerkVerificationOptions {
  const options = clerkVerificationOptions(env);
  const { authorizedParties, ...withoutAuthorizedParties } = options;
  if (!authorizedParties || requireAzp(env)) return () => options;
  return (request) => (mayOmitAuthorizedParties(request, authorizedParties) ? withoutAuthorizedParties : options);
}

function requireAzp(env: Env): boolean {
  const value = (env.CLERK_REQUIRE_AZP ?? "").trim().toLowerCase();
  if (["", "0", "false", "no", "off"].includes(value)) return false;
  if (["1", "true", "yes", "on"].includes(value)) return true;
  throw new Error(`CLERK_REQUIRE_AZP must be true or false, not ${JSON.stringify(env.CLERK_REQUIRE_AZP)}`);
}

/**
 * True when a session token `request` offers has no `azp` and none names a party outside
 * `authorizedParties` (or cannot be read). The tokens are those @clerk/backend's
 * authenticateRequest may verify: the Authorization header's alone when it has one; otherwise
 * every session cookie (`__session`, `__session_<suffix>`: @clerk/backend picks one of them,
 * and a browser may send a name twice) and the session cookies a handshake payload sets
 * (`__clerk_handshake`, in the query or a cookie, verified before the cookies are).
 */
function mayOmitAuthorizedParties(request: Request, authorizedParties: string[]): boolean {
  const headerToken = tokenInAuthorizationHeader(request.headers.get("authorization"));
  const cookies = parseCookies(request.headers.get("cookie"));
  const query = new URL(request.url).searchParams;
  const tokens = headerToken !== undefined ? [headerToken] : [...sessionCookies(cookies), ...handshakeSessionTokens(query, cookies)];
  // A handshake nonce: the payload comes from Clerk's Backend API, unseen here. It was minted
  // for the navigation through the handshake, which has no Origin: no `azp`.
  const nonceToken = headerToken === undefined && (query.has(HANDSHAKE_NONCE) || cookies.some(([name]) => name === HANDSHAKE_NONCE));
  const parties = tokens.map((token) => authorizedPartyOf(token));
  if (parties.some((azp) => azp === UNREADABLE || (azp !== NONE && !authorizedParties.includes(azp)))) return false;
  return nonceToken || parties.includes(NONE);
}

const SESSION_COOKIE = "__session";
const HANDSHAKE = "__clerk_handshake";
const HANDSHAKE_NONCE = "__clerk_handshake_nonce";
const NONE = Symbol("no azp");
const UNREADABLE = Symbol("not a readable JWT");

/** @clerk/backend's reading: `Bearer <token>`, or a value without a space as the token itself; other schemes carry none. */
function tokenInAuthorizationHeader(value: string | null): string | undefined {
  if (!value) return undefined;
  const [scheme, token] = value.split(" ", 2);
  if (!token) return scheme;
  return scheme === "Bearer" ? token : undefined;
}

/** Every `name=value` pair of a Cookie header, duplicates included, decoded as @clerk/backend's parser does. */
function parseCookies(header: string | null): [name: string, value: string][] {
  return (header ?? "")
    .split(";")
    .filter((pair) => pair.includes("="))
    .map((pair) => {
      const index = pair.indexOf("=");
      return [pair.slice(0, index).trim(), decodeCookieValue(pair.slice(index + 1).trim())];
    });
}

function decodeCookieValue(value: string): string {
  if (!value.includes("%")) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function isSessionCookieName(name: string): boolean {
  return name === SESSION_COOKIE || name.startsWith(`${SESSION_COOKIE}_`);
}

function sessionCookies(cookies: [string, string][]): string[] {
  return cookies.filter(([name, value]) => isSessionCookieName(name) && value !== "").map(([, value]) => value);
}

/** The session tokens in the handshake payloads of the request: the directives for `__session…` cookies. */
function handshakeSessionTokens(query: URLSearchParams, cookies: [string, string][]): string[] {
  const payloads = [...query.getAll(HANDSHAKE), ...cookies.filter(([name]) => name === HANDSHAKE).map(([, value]) => value)];
  return payloads
    .filter((payload) => payload !== "")
    .flatMap((payload) => {
      const directives = jwtPayload(payload)?.handshake;
      // An unreadable payload stays a candidate, so that it keeps `authorizedParties`.
      if (!Array.isArray(directives)) return [payload];
      return directives
        .filter((directive): directive is string => typeof directive === "string")
        .map((directive) => directive.split(";")[0].split("="))
        .filter(([name, value]) => name.startsWith(SESSION_COOKIE) && value)
        .map(([, value]) => value);
    });
}

/** The token's `azp`: NONE when absent or empty (what @clerk/backend treats as missing), UNREADABLE when it is no JWT or not a string. */
function authorizedPartyOf(token: string): string | typeof NONE | typeof UNREADABLE {
  const payload = jwtPayload(token);
  if (!payload) return UNREADABLE;
  const azp = payload.azp;
  if (azp === undefined || azp === null || azp === "") return NONE;
  return typeof azp === "string" ? azp : UNREADABLE;
}

/** The payload of a compact JWT, unverified; null when it is not one. */
function jwtPayload(token: string): Record<string, unknown> | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = new TextDecoder().decode(Uint8Array.from(atob(base64), (char) => char.charCodeAt(0)));
    const payload: unknown = JSON.parse(json);
    return payload !== null && typeof payload === "object" && !Array.isArray(payload) ? (payload as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * The PEM key as Clerk parses it: with real line breaks. A .env line holds it on one line with
 * `\n` escapes, which only double quotes turn into line breaks; unquoted (or from a process
 * manager that passes the line as is) they arrive as a backslash and an n, which Clerk's parser
 * would keep in the key, and every session would be refused.
 */
export function pemFromEnv(value: string | undefined): string | undefined {
  const pem = value?.replace(/\\r\\n|\\n/g, "\n").trim();
  return pem ? pem : undefined;
}
