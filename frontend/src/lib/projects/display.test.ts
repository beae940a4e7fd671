import { describe, expect, it } from "vitest";

import { project } from "@/test/factories";

import { creatorLabel, formatDay, offeredActions, wasChanged } from "./display";

const byAda = project({ created_by: { clerk_id: "user_ada", name: "Ada Lovelace" } });
const ofADeletedAccount = project({ created_by: null });

describe("how a project reads", () => {
  it("names its creator, or says it was you, or that the account is gone", () => {
    expect(creatorLabel(byAda, "user_bob")).toBe("Ada Lovelace");
    expect(creatorLabel(byAda, "user_ada")).toBe("you");
    expect(creatorLabel(ofADeletedAccount, "user_ada")).toBe("a deleted account");
    expect(creatorLabel(project({ created_by: { clerk_id: "user_new", name: "" } }), null)).toBe("a member");
  });

  it("dates it by its day in UTC", () => {
    expect(formatDay("2026-12-03T23:30:00-02:00")).toBe("4 Dec 2026");
    expect(formatDay("not a date")).toBe("not a date");
  });

  it("counts as changed once updated a second or more after its creation", () => {
    expect(wasChanged(project({ created_at: "2026-12-03T10:00:00.100000Z", updated_at: "2026-12-03T10:00:00.100350Z" }))).toBe(false);
    expect(wasChanged(project({ created_at: "2026-12-03T10:00:00Z", updated_at: "2026-12-03T10:05:00Z" }))).toBe(true);
  });
});

describe("the buttons a project offers", () => {
  it("lets an admin edit and delete any project", () => {
    expect(offeredActions(byAda, { userId: "user_bob", isAdmin: true })).toEqual({ edit: true, delete: true });
  });

  it("lets its creator edit but not delete it", () => {
    expect(offeredActions(byAda, { userId: "user_ada", isAdmin: false })).toEqual({ edit: true, delete: false });
  });

  it("offers another member nothing, and nothing for a project whose creator is gone", () => {
    expect(offeredActions(byAda, { userId: "user_bob", isAdmin: false })).toEqual({ edit: false, delete: false });
    expect(offeredActions(ofADeletedAccount, { userId: null, isAdmin: false })).toEqual({ edit: false, delete: false });
  });
});
