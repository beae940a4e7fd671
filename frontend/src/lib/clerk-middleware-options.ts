// What Clerk's middleware (src/proxy.ts) is given from the environment.

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
 * The PEM key as Clerk parses it: with real line breaks. A .env line holds it on one line with
 * `\n` escapes, which only double quotes turn into line breaks; unquoted (or from a process
 * manager that passes the line as is) they arrive as a backslash and an n, which Clerk's parser
 * would keep in the key, and every session would be refused.
 */
export function pemFromEnv(value: string | undefined): string | undefined {
  const pem = value?.replace(/\\r\\n|\\n/g, "\n").trim();
  return pem ? pem : undefined;
}
