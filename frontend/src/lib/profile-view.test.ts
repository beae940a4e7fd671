import { describe, expect, it } from "vitest";

import { backendRefusing } from "@/test/backend";
import { me } from "@/test/factories";

import { fetchMe } from "./api/client";
import { dashboardState, displayName, roleLabel } from "./profile-view";

describe("dashboardState", () => {
  it("shows the profile of a complete user with organizations", () => {
    expect(dashboardState({ kind: "ok", data: me() })).toEqual({
      view: "profile",
      me: me(),
      completing: false,
      noOrganizations: false,
    });
  });

  it("flags a profile that is still being completed", () => {
    const state = dashboardState({ kind: "ok", data: me({ profile_complete: false, email: null }) });
    expect(state).toMatchObject({ view: "profile", completing: true });
  });

  it("flags a user without organizations", () => {
    expect(dashboardState({ kind: "ok", data: me({ organizations: [] }) })).toMatchObject({ noOrganizations: true });
  });

  it("asks a signed-out user to sign in again", () => {
    const state = dashboardState({ kind: "signed-out", status: 401, code: "token-expired", detail: "token expired" });
    expect(state).toMatchObject({ view: "session-expired" });
  });

  it("tells a deleted user their account is gone", () => {
    const state = dashboardState({ kind: "account-deleted", status: 401, code: "user-deleted", detail: "user deleted" });
    expect(state).toEqual({
      view: "account-deleted",
      message: "This account has been deleted. Contact support if you think this is a mistake.",
    });
  });

  it("says when the backend is unreachable, with the reason", () => {
    const state = dashboardState({ kind: "unreachable", status: null, code: null, detail: "the backend could not be reached" });
    expect(state.view).toBe("backend-unreachable");
    expect("message" in state && state.message).toContain("the backend could not be reached");
  });

  it("shows other failures with their status", () => {
    const state = dashboardState({ kind: "failed", status: 403, code: "missing-permission", detail: "missing permission" });
    expect(state).toEqual({ view: "error", message: "The server answered 403: missing permission." });
  });
});

describe("the dashboard state of an error answer, decided by its code", () => {
  async function stateFor(status: number, code: string, detail: string) {
    const { fetchImpl } = backendRefusing(status, code, detail);
    return dashboardState(await fetchMe({ baseUrl: "http://backend:8000", token: "t", fetchImpl }));
  }

  it.each([
    [401, "token-expired", "session-expired"],
    [401, "unauthorized-party", "session-expired"],
    [401, "session-not-active", "session-expired"],
    [401, "user-deleted", "account-deleted"],
    [503, "database-unavailable", "backend-unreachable"],
    [503, "signing-keys-unavailable", "backend-unreachable"],
    [403, "no-active-organization", "error"],
    [500, "internal-error", "error"],
  ])("%i %s shows the %s state", async (status, code, view) => {
    expect((await stateFor(status, code, "any wording")).view).toBe(view);
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
