import { createClerkClient, verifyToken } from "@clerk/backend";
import { getCookieSuffix } from "@clerk/shared/keys";
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { clerkMiddlewareOptions, clerkVerificationOptions, pemFromEnv } from "./clerk-middleware-options";

describe("what Clerk's middleware gets from the environment", () => {
  it("passes the authorized parties, trimmed, and nothing for an empty list", () => {
    expect(clerkVerificationOptions({ CLERK_AUTHORIZED_PARTIES: " http://localhost , https://app.example.com,," })).toEqual({
      authorizedParties: ["http://localhost", "https://app.example.com"],
    });
    expect(clerkVerificationOptions({ CLERK_AUTHORIZED_PARTIES: " , " })).toEqual({});
    expect(clerkVerificationOptions({})).toEqual({});
  });

  it("passes no key when CLERK_JWT_KEY is unset or blank", () => {
    expect(pemFromEnv(undefined)).toBeUndefined();
    expect(pemFromEnv("  ")).toBeUndefined();
  });

  it("turns a one-line key's \\n escapes into line breaks, and leaves a multi-line key as it is", () => {
    const pem = "-----BEGIN PUBLIC KEY-----\nMIIB\nIDAQAB\n-----END PUBLIC KEY-----";
    expect(pemFromEnv(pem.replace(/\n/g, "\\n"))).toBe(pem);
    expect(pemFromEnv(pem.replace(/\n/g, "\\r\\n"))).toBe(pem);
    expect(pemFromEnv(`${pem}\n`)).toBe(pem);
    expect(clerkVerificationOptions({ CLERK_JWT_KEY: pem.replace(/\n/g, "\\n") })).toEqual({ jwtKey: pem });
  });
});

describe("Clerk's own token verification with CLERK_JWT_KEY as a .env holds it", () => {
  let pem: string;
  let token: string;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048 });
    pem = await exportSPKI(publicKey);
    const now = Math.floor(Date.now() / 1000);
    token = await new SignJWT({ sid: "sess_1", azp: "http://localhost" })
      .setProtectedHeader({ alg: "RS256", kid: "ins_test" })
      .setSubject("user_1")
      .setIssuer("https://clerk.example.test")
      .setIssuedAt(now)
      .setNotBefore(now - 10)
      .setExpirationTime(now + 60)
      .sign(privateKey);
  });

  it("accepts a session token with the key written on one line with \\n escapes", async () => {
    const oneLine = pem.trim().replace(/\n/g, "\\n");
    const options = clerkVerificationOptions({ CLERK_JWT_KEY: oneLine, CLERK_AUTHORIZED_PARTIES: "http://localhost" });
    await expect(verifyToken(token, options)).resolves.toMatchObject({ sub: "user_1" });
  });

  it("would refuse it if the escapes were passed on as they are (everyone signed out)", async () => {
    const oneLine = pem.trim().replace(/\n/g, "\\n");
    await expect(verifyToken(token, { jwtKey: oneLine })).rejects.toThrow();
  });

  it("accepts it with the key on several lines", async () => {
    await expect(verifyToken(token, clerkVerificationOptions({ CLERK_JWT_KEY: pem }))).resolves.toMatchObject({ sub: "user_1" });
  });
});

describe("the azp rule clerkMiddleware gets per request, checked with @clerk/backend's own authenticateRequest", () => {
  const APP = "http://example.test:8080";
  const OTHER_SITE = "https://evil.example";
  const publishableKey = `pk_live_${Buffer.from("clerk.example.test$").toString("base64")}`;
  const env = { CLERK_AUTHORIZED_PARTIES: APP };
  let privateKey: CryptoKey;
  let pem: string;
  let suffix: string;
  let now: number;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { modulusLength: 2048 });
    privateKey = pair.privateKey;
    pem = await exportSPKI(pair.publicKey);
    suffix = await getCookieSuffix(publishableKey);
    now = Math.floor(Date.now() / 1000);
  });

  /** A session token as Clerk's Frontend API mints it: `azp` is the minting request's Origin, absent without one. */
  function sessionToken(azp?: unknown): Promise<string> {
    return new SignJWT({ sid: "sess_1", ...(azp !== undefined && { azp }) })
      .setProtectedHeader({ alg: "RS256", kid: "ins_test", typ: "JWT" })
      .setSubject("user_1")
      .setIssuer("https://clerk.example.test")
      .setIssuedAt(now)
      .setNotBefore(now - 10)
      .setExpirationTime(now + 60)
      .sign(privateKey);
  }

  /** A token minted two minutes ago, expired since. */
  function expiredSessionToken(azp?: unknown): Promise<string> {
    return new SignJWT({ sid: "sess_1", ...(azp !== undefined && { azp }) })
      .setProtectedHeader({ alg: "RS256", kid: "ins_test", typ: "JWT" })
      .setSubject("user_1")
      .setIssuer("https://clerk.example.test")
      .setIssuedAt(now - 120)
      .setNotBefore(now - 130)
      .setExpirationTime(now - 60)
      .sign(privateKey);
  }

  /** A handshake payload whose directives set `token` as the session cookie. */
  function handshakePayload(token: string): Promise<string> {
    return new SignJWT({ handshake: [`__session=${token}; Path=/; SameSite=Lax; Secure`, `__client_uat=${now}; Path=/; Domain=example.test`] })
      .setProtectedHeader({ alg: "RS256", kid: "ins_test", typ: "JWT" })
      .sign(privateKey);
  }

  function request(headers: Record<string, string>, path = "/dashboard"): Request {
    return new Request(`${APP}${path}`, { headers });
  }

  /** What the middleware concludes for `req` with the options we give it. */
  async function signedInWith(req: Request, options: { jwtKey?: string; authorizedParties?: string[] }): Promise<boolean> {
    const clerk = createClerkClient({ publishableKey, secretKey: "sk_live_offline" });
    const state = await clerk.authenticateRequest(req, { ...options, jwtKey: pem });
    return state.isAuthenticated;
  }

  const ours = (req: Request, extra: Record<string, string> = {}) => clerkMiddlewareOptions({ ...env, ...extra })(req);

  it("accept a returning visitor's cookie token without azp, which @clerk/backend's own rule would refuse", async () => {
    const req = request({ cookie: `__session=${await sessionToken()}; __client_uat=${now}` });
    expect(ours(req)).not.toHaveProperty("authorizedParties");
    expect(await signedInWith(req, ours(req))).toBe(true);
    expect(await signedInWith(req, clerkVerificationOptions(env))).toBe(false);
  });

  it("accept a listed azp and refuse another site's, in a cookie or the Authorization header", async () => {
    const listed = request({ cookie: `__session=${await sessionToken(APP)}; __client_uat=${now}` });
    expect(await signedInWith(listed, ours(listed))).toBe(true);
    const foreignCookie = request({ cookie: `__session=${await sessionToken(OTHER_SITE)}; __client_uat=${now}` });
    expect(ours(foreignCookie)).toEqual({ authorizedParties: [APP] });
    expect(await signedInWith(foreignCookie, ours(foreignCookie))).toBe(false);
    const foreignHeader = request({ authorization: `Bearer ${await sessionToken(OTHER_SITE)}` });
    expect(await signedInWith(foreignHeader, ours(foreignHeader))).toBe(false);
  });

  it("never let a token without azp elsewhere in the request switch the check off for another site's token", async () => {
    const withoutAzp = await sessionToken();
    const foreign = await sessionToken(OTHER_SITE);
    const attacks = [
      // The suffixed cookie, which @clerk/backend prefers when both client_uat cookies are set.
      request({ cookie: `__session=${withoutAzp}; __session_${suffix}=${foreign}; __client_uat=${now}; __client_uat_${suffix}=${now}` }),
      // The same name twice (a cookie set on a parent domain or a longer path): the first one is read.
      request({ cookie: `__session=${foreign}; __session=${withoutAzp}; __client_uat=${now}` }),
      // The header is verified and the cookies are not.
      request({ authorization: `Bearer ${foreign}`, cookie: `__session=${withoutAzp}; __client_uat=${now}` }),
      // A stale handshake payload without azp: it fails, and @clerk/backend falls back to the cookies.
      request({ cookie: `__clerk_handshake=${await handshakePayload(await expiredSessionToken())}; __session=${foreign}; __client_uat=${now}` }),
    ];
    for (const attack of attacks) {
      expect(ours(attack), attack.headers.get("cookie") ?? "").toEqual({ authorizedParties: [APP] });
      expect(await signedInWith(attack, ours(attack))).toBe(false);
    }
    // A session cookie that cannot be read here keeps the check, whatever @clerk/backend would make of it.
    expect(ours(request({ cookie: `__session=${withoutAzp}; __session_${suffix}=not-a-jwt` }))).toEqual({ authorizedParties: [APP] });
    // Another site's token that @clerk/backend never reads (the header's is read instead) does not.
    const headerFirst = request({ authorization: `Bearer ${withoutAzp}`, cookie: `__session=${foreign}; __client_uat=${now}` });
    expect(await signedInWith(headerFirst, ours(headerFirst))).toBe(true);
  });

  it("accept the token a handshake payload brings without azp, in the cookie or the query", async () => {
    const payload = await handshakePayload(await sessionToken());
    const inCookie = request({ cookie: `__clerk_handshake=${payload}` });
    expect(await signedInWith(inCookie, ours(inCookie))).toBe(true);
    expect(await signedInWith(inCookie, clerkVerificationOptions(env))).toBe(false);
    const inQuery = request({}, `/dashboard?__clerk_handshake=${payload}`);
    expect(await signedInWith(inQuery, ours(inQuery))).toBe(true);
  });

  it("leave authorizedParties out for a handshake nonce, whose token comes from Clerk's Backend API, unless another site's token is present", async () => {
    expect(ours(request({}, "/dashboard?__clerk_handshake_nonce=n_1"))).not.toHaveProperty("authorizedParties");
    expect(ours(request({ cookie: "__clerk_handshake_nonce=n_1" }))).not.toHaveProperty("authorizedParties");
    const withForeign = request({ cookie: `__clerk_handshake_nonce=n_1; __session=${await sessionToken(OTHER_SITE)}` });
    expect(ours(withForeign)).toEqual({ authorizedParties: [APP] });
  });

  it("keep @clerk/backend's strict rule with CLERK_REQUIRE_AZP=true, and refuse a value that is not a boolean", async () => {
    const req = request({ cookie: `__session=${await sessionToken()}; __client_uat=${now}` });
    expect(ours(req, { CLERK_REQUIRE_AZP: "true" })).toEqual({ authorizedParties: [APP] });
    expect(await signedInWith(req, ours(req, { CLERK_REQUIRE_AZP: "true" }))).toBe(false);
    expect(ours(req, { CLERK_REQUIRE_AZP: "false" })).toEqual({});
    expect(() => clerkMiddlewareOptions({ ...env, CLERK_REQUIRE_AZP: "sometimes" })).toThrow(/CLERK_REQUIRE_AZP must be true or false/);
  });

  it("treat an empty azp as none and an azp that is not a string as another site's", async () => {
    expect(ours(request({ cookie: `__session=${await sessionToken("")}` }))).toEqual({});
    expect(ours(request({ cookie: `__session=${await sessionToken([APP])}` }))).toEqual({ authorizedParties: [APP] });
  });
});
