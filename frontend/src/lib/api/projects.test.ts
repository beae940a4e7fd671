import { describe, expect, it } from "vitest";

import { createProject, deleteProject, getProject, listProjects, projectPath, updateProject } from "./projects";
import type { Project } from "./types";

const PROJECT: Project = {
  id: "prj_abc",
  name: "Apollo",
  description: "To the moon",
  created_by: { clerk_id: "user_1", name: "Ada Lovelace" },
  created_at: "2026-12-03T10:00:00Z",
  updated_at: "2026-12-03T10:00:00Z",
};

type Seen = { method: string; url: string; auth: string | null; contentType: string | null; body: unknown };

/** A fetch that records what it was asked and answers `status` with `body` (no body for 204). */
function backend(status: number, body?: unknown) {
  const seen: Seen[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    seen.push({
      method: init?.method ?? "GET",
      url: String(input),
      auth: headers.get("Authorization"),
      contentType: headers.get("Content-Type"),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : init?.body,
    });
    return new Response(body === undefined ? null : JSON.stringify(body), { status });
  };
  return { seen, options: { baseUrl: "http://backend:8000", token: "tok", fetchImpl } };
}

describe("the projects API calls", () => {
  it("list the first page with the page size and no cursor", async () => {
    const { seen, options } = backend(200, { items: [PROJECT], next_cursor: "c2" });
    const result = await listProjects({}, options);
    expect(result).toEqual({ kind: "ok", data: { items: [PROJECT], next_cursor: "c2" } });
    expect(seen).toEqual([
      { method: "GET", url: "http://backend:8000/api/v1/projects/?limit=20", auth: "Bearer tok", contentType: null, body: undefined },
    ]);
  });

  it("list the page after a cursor, encoded in the query", async () => {
    const { seen, options } = backend(200, { items: [], next_cursor: null });
    await listProjects({ cursor: "MjAyNi0x|+/=" }, options);
    expect(seen[0].url).toBe("http://backend:8000/api/v1/projects/?limit=20&cursor=MjAyNi0x%7C%2B%2F%3D");
  });

  it("create with a JSON body and read the 201 answer", async () => {
    const { seen, options } = backend(201, PROJECT);
    const result = await createProject({ name: "Apollo", description: "To the moon" }, options);
    expect(result).toEqual({ kind: "ok", data: PROJECT });
    expect(seen[0]).toMatchObject({
      method: "POST",
      url: "http://backend:8000/api/v1/projects/",
      contentType: "application/json",
      body: { name: "Apollo", description: "To the moon" },
    });
  });

  it("read, change and delete one project at its own path", async () => {
    const read = backend(200, PROJECT);
    expect(await getProject("prj_abc", read.options)).toEqual({ kind: "ok", data: PROJECT });
    expect(read.seen[0]).toMatchObject({ method: "GET", url: "http://backend:8000/api/v1/projects/prj_abc/" });

    const change = backend(200, { ...PROJECT, name: "Artemis" });
    expect(await updateProject("prj_abc", { name: "Artemis" }, change.options)).toMatchObject({ kind: "ok", data: { name: "Artemis" } });
    expect(change.seen[0]).toMatchObject({ method: "PATCH", url: "http://backend:8000/api/v1/projects/prj_abc/", body: { name: "Artemis" } });

    const removal = backend(204);
    expect(await deleteProject("prj_abc", removal.options)).toEqual({ kind: "ok", data: null });
    expect(removal.seen[0]).toMatchObject({ method: "DELETE", url: "http://backend:8000/api/v1/projects/prj_abc/", body: undefined });
  });

  it("encode an id that is not one, so it cannot reach another path", () => {
    expect(projectPath("../auth/me")).toBe("/api/v1/projects/..%2Fauth%2Fme/");
  });

  it.each([
    [409, "name-taken", "failed"],
    [422, "invalid-request", "failed"],
    [403, "not-allowed", "failed"],
    [403, "no-active-organization", "failed"],
    [404, "not-found", "failed"],
    [401, "token-expired", "signed-out"],
    [503, "database-unavailable", "unreachable"],
  ])("report a %i %s with its code and the backend's sentence", async (status, code, kind) => {
    const { options } = backend(status, { detail: "the backend's sentence", code });
    expect(await createProject({ name: "Apollo", description: "" }, options)).toEqual({ kind, status, code, detail: "the backend's sentence" });
  });

  it("refuse a 200 that is not a page of projects", async () => {
    const { options } = backend(200, { items: [{ id: "prj_1" }], next_cursor: null });
    expect(await listProjects({}, options)).toMatchObject({ kind: "failed", detail: "unexpected response from the backend" });
  });

  it("refuse a deletion answered with a body where none is expected", async () => {
    const { options } = backend(200, PROJECT);
    expect(await deleteProject("prj_abc", options)).toMatchObject({ kind: "failed", status: 200 });
  });
});
