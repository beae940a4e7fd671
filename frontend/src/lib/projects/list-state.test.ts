import { describe, expect, it } from "vitest";

import { project, projectPage } from "@/test/factories";

import { projectHref, projectListState, projectsPageHref, searchParam } from "./list-state";

describe("the projects page's state", () => {
  it("lists a page with a link to the next one while there is one", () => {
    const state = projectListState({ kind: "ok", data: projectPage([project({ id: "prj_2" }), project({ id: "prj_1" })], "abc+/=") }, { isFirstPage: true });
    expect(state).toEqual({
      view: "projects",
      projects: [project({ id: "prj_2" }), project({ id: "prj_1" })],
      nextPageHref: "/dashboard/projects?cursor=abc%2B%2F%3D",
    });
  });

  it("has no next page on the last one", () => {
    const state = projectListState({ kind: "ok", data: projectPage([project({ id: "prj_1" })]) }, { isFirstPage: false });
    expect(state).toMatchObject({ view: "projects", nextPageHref: null });
  });

  it("is empty when the organization has no project yet", () => {
    expect(projectListState({ kind: "ok", data: projectPage([]) }, { isFirstPage: true })).toEqual({ view: "empty" });
  });

  it("is an empty list, not an empty organization, past the first page", () => {
    expect(projectListState({ kind: "ok", data: projectPage([]) }, { isFirstPage: false })).toMatchObject({
      view: "projects",
      projects: [],
    });
  });

  it("asks for an organization when the backend says none is active", () => {
    const state = projectListState(
      { kind: "failed", status: 403, code: "no-active-organization", detail: "no active organization" },
      { isFirstPage: true },
    );
    expect(state).toMatchObject({ view: "no-active-organization" });
  });

  it.each([
    [{ kind: "signed-out", status: 401, code: "token-expired", detail: "" } as const, "session-expired"],
    [{ kind: "unreachable", status: null, code: null, detail: "the backend could not be reached" } as const, "backend-unreachable"],
    [{ kind: "failed", status: 422, code: "invalid-request", detail: "invalid cursor: is not a cursor of this list" } as const, "error"],
  ])("shows a failure as its state: %j", (failure, view) => {
    expect(projectListState(failure, { isFirstPage: false }).view).toBe(view);
  });
});

describe("the projects page's addresses", () => {
  it("start from the first page without a cursor", () => expect(projectsPageHref(null)).toBe("/dashboard/projects"));
  it("encode a project's id", () => expect(projectHref("prj_1/../x")).toBe("/dashboard/projects/prj_1%2F..%2Fx"));
  it("take a search parameter once, the first when repeated, none when empty", () => {
    expect(searchParam("abc")).toBe("abc");
    expect(searchParam(["abc", "def"])).toBe("abc");
    expect(searchParam("")).toBeNull();
    expect(searchParam(undefined)).toBeNull();
  });
});
