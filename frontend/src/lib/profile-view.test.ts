import { describe, expect, it } from "vitest";

import type { Me } from "./api";
import { dashboardState, displayName, roleLabel } from "./profile-view";

const me = (overrides: Partial<Me> = {}): Me => ({
  id: 1,
  clerk_id: "user_1",
  email: "ada@example.com",
  first_name: "Ada",
  last_name: "Lovelace",
  image_url: "",
  profile_complete: true,
  organizations: [{ clerk_id: "org_1", name: "Acme", slug: "acme", role: "org:admin", image_url: "" }],
  active_organization: null,
  ...overrides,
});

describe("dashboardState", () => {
  it("shows the profile of a complete user with organizations", () => {
    expect(dashboardState({ kind: "ok", me: me() })).toEqual({
      view: "profile",
      me: me(),
      completing: false,
      noOrganizations: false,
    });
  });

  it("flags a profile that is still being completed", () => {
    const state = dashboardState({ kind: "ok", me: me({ profile_complete: false, email: null }) });
    expect(state).toMatchObject({ view: "profile", completing: true });
  });

  it("flags a user without organizations", () => {
    expect(dashboardState({ kind: "ok", me: me({ organizations: [] }) })).toMatchObject({ noOrganizations: true });
  });

  it("asks a signed-out user to sign in again", () => {
    expect(dashboardState({ kind: "signed-out", reason: "token expired" })).toMatchObject({ view: "session-expired" });
  });

  it("says when the backend is unreachable, with the reason", () => {
    const state = dashboardState({ kind: "unreachable", reason: "the backend could not be reached" });
    expect(state.view).toBe("backend-unreachable");
    expect("message" in state && state.message).toContain("the backend could not be reached");
  });

  it("shows other failures with their status", () => {
    const state = dashboardState({ kind: "failed", status: 403, reason: "user deleted" });
    expect(state).toEqual({ view: "error", message: "The server answered 403: user deleted." });
  });
});

describe("displayName", () => {
  it("joins first and last names", () => expect(displayName(me())).toBe("Ada Lovelace"));
  it("falls back to the email", () => expect(displayName(me({ first_name: "", last_name: "" }))).toBe("ada@example.com"));
  it("has a name for a user with nothing yet", () =>
    expect(displayName(me({ first_name: "", last_name: "", email: null }))).toBe("New user"));
});

describe("roleLabel", () => {
  it("drops Clerk's org: prefix", () => expect(roleLabel("org:admin")).toBe("admin"));
  it("reads custom roles", () => expect(roleLabel("org:billing_manager")).toBe("billing manager"));
  it("treats a missing role as member", () => expect(roleLabel(null)).toBe("member"));
});
