// The kit's own rules, checked without a browser.
import { describe, expect, it } from "vitest";

import { bundleFile, bundleVersionsOfClerkNextjs, pinsMismatch, PINNED_BUNDLES } from "./bundles";
import { frontendApiHostOf } from "./instance";
import { packPermissions, sessionTokenClaims } from "./session-token";

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
