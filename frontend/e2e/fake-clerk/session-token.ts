import type { JwtPayload } from "@clerk/shared/types";
import { exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, SignJWT } from "jose";

/** The instance's signing key pair: the public half goes to the servers (`CLERK_JWT_KEY`), the private half mints tokens. */
export type SigningKeys = { publicPem: string; privatePem: string };

/** RSA-2048: Clerk's JS PEM parsing rejects 4096-bit keys. */
export async function generateSigningKeys(): Promise<SigningKeys> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  return { publicPem: await exportSPKI(publicKey), privatePem: await exportPKCS8(privateKey) };
}

/** Clerk's session tokens live 60 s; clerk-js refreshes them before they expire. */
export const SESSION_TOKEN_LIFETIME_SECONDS = 60;
/** Clerk backdates `nbf` by 10 s so a server whose clock runs a little behind still accepts a fresh token. */
const NOT_BEFORE_BACKDATE_SECONDS = 10;
const KEY_ID = "ins_fake_clerk";

export type ActiveOrganizationClaims = {
  id: string;
  slug: string;
  /** `org:admin`; the token carries it without the `org:` prefix. */
  role: string;
  /** Custom permissions of the role, `org:<feature>:<action>`; `org:sys_*` ones never travel in the token. */
  permissions: readonly string[];
};

export type SessionTokenOptions = {
  issuer: string;
  userId: string;
  sessionId: string;
  /**
   * The `Origin` of the request that asked for the token, which Clerk copies into `azp`; null
   * when it had none (a top-level navigation through the handshake), and the token has no `azp`.
   */
  authorizedParty: string | null;
  organization?: ActiveOrganizationClaims | null;
  issuedAt: number;
  lifetimeSeconds?: number;
};

/** The claims of a v2 session token, typed by Clerk's own `JwtPayload` (less the decoder's `__raw`). */
export type SessionTokenClaims = WithoutRaw<JwtPayload> & { v: 2 };
// Omit<> would collapse JwtPayload (it has an index signature) into `{ [x: string]: unknown }`;
// remapping keys keeps every named claim typed.
type WithoutRaw<T> = { [K in keyof T as K extends "__raw" ? never : K]: T[K] };

export function sessionTokenClaims(options: SessionTokenOptions): SessionTokenClaims {
  const claims: SessionTokenClaims = {
    iss: options.issuer,
    sub: options.userId,
    sid: options.sessionId,
    ...(options.authorizedParty !== null && { azp: options.authorizedParty }),
    iat: options.issuedAt,
    nbf: options.issuedAt - NOT_BEFORE_BACKDATE_SECONDS,
    exp: options.issuedAt + (options.lifetimeSeconds ?? SESSION_TOKEN_LIFETIME_SECONDS),
    sts: "active",
    fva: [0, -1],
    v: 2,
  };
  if (options.organization) {
    const { id, slug, role, permissions } = options.organization;
    const packed = packPermissions(permissions);
    claims.o = { id, slg: slug, rol: role.replace(/^org:/, ""), ...(packed && { per: packed.per, fpm: packed.fpm }) };
    if (packed) claims.fea = packed.fea;
  }
  return claims;
}

export async function signSessionToken(privatePem: string, claims: SessionTokenClaims): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: KEY_ID, typ: "JWT" })
    .sign(await importPKCS8(privatePem, "RS256"));
}

/**
 * The handshake payload: the `Set-Cookie` directives the app's server must send, in a JWT the
 * instance key signs (@clerk/backend verifies it with the same key as session tokens, and
 * refuses one whose header names another token category).
 */
export async function signHandshakePayload(privatePem: string, directives: string[], issuedAt: number): Promise<string> {
  return new SignJWT({ handshake: directives })
    .setProtectedHeader({ alg: "RS256", kid: KEY_ID, typ: "JWT" })
    .setIssuedAt(issuedAt)
    .sign(await importPKCS8(privatePem, "RS256"));
}

/**
 * v2 tokens pack custom permissions per feature: `fea` lists the features (`o:projects`),
 * `per` the distinct actions, and each integer of `fpm` is a bitmap over `per` (least
 * significant bit first) for the feature at the same position in `fea`.
 */
export function packPermissions(permissions: readonly string[]): { fea: string; per: string; fpm: string } | null {
  const byFeature = new Map<string, string[]>();
  for (const permission of permissions) {
    const [scope, feature, action] = permission.split(":");
    if (scope !== "org" || !feature || !action || feature.startsWith("sys_")) continue;
    byFeature.set(feature, [...(byFeature.get(feature) ?? []), action]);
  }
  if (byFeature.size === 0) return null;
  const actions = [...new Set([...byFeature.values()].flat())];
  const bitmaps = [...byFeature.values()].map((featureActions) =>
    featureActions.reduce((bits, action) => bits | (1 << actions.indexOf(action)), 0),
  );
  return {
    fea: [...byFeature.keys()].map((feature) => `o:${feature}`).join(","),
    per: actions.join(","),
    fpm: bitmaps.join(","),
  };
}
