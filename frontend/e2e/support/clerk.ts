import { exportSPKI, generateKeyPair, importPKCS8, exportPKCS8, SignJWT } from "jose";

/** Clerk's Frontend API host for the tests; the build bakes the matching pk_live_ key (see the Makefile). */
export const FRONTEND_API_HOST = "clerk.example.test";
export const ISSUER = `https://${FRONTEND_API_HOST}`;
export const PUBLISHABLE_KEY = `pk_live_${Buffer.from(`${FRONTEND_API_HOST}$`).toString("base64")}`;
const KEY_ID = "ins_browser_tests";

export type TestKeys = { publicPem: string; privatePem: string };

/** RSA-2048: Clerk's JS PEM parsing rejects 4096-bit keys. */
export async function generateTestKeys(): Promise<TestKeys> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  return { publicPem: await exportSPKI(publicKey), privatePem: await exportPKCS8(privateKey) };
}

export type ActiveOrganizationClaim = { id: string; slug: string; role: string };

/** A Clerk session token (v2 claims), as Clerk's Frontend API would issue it. */
export async function sessionToken(
  keys: TestKeys,
  options: { userId: string; authorizedParty: string; organization?: ActiveOrganizationClaim },
): Promise<{ token: string; issuedAt: number }> {
  const issuedAt = Math.floor(Date.now() / 1000) - 5;
  const claims: Record<string, unknown> = {
    sid: `sess_${options.userId.replace(/^user_/, "")}`,
    azp: options.authorizedParty,
    sts: "active",
    v: 2,
  };
  if (options.organization) {
    const { id, slug, role } = options.organization;
    claims.o = { id, slg: slug, rol: role.replace(/^org:/, ""), per: "read", fpm: "1" };
    claims.fea = "o:dashboard";
  }
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: KEY_ID, typ: "JWT" })
    .setSubject(options.userId)
    .setIssuer(ISSUER)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    // Longer than Clerk's 60 s so a slow machine cannot expire it mid-test; nothing refreshes it offline.
    .setExpirationTime(issuedAt + 3600)
    .sign(await importPKCS8(keys.privatePem, "RS256"));
  return { token, issuedAt };
}
