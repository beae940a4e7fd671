import { verifyToken } from "@clerk/backend";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";

import { clerkVerificationOptions, pemFromEnv } from "./clerk-middleware-options";

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
