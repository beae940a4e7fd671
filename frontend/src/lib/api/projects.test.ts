import { describe, expect, it } from "vitest";

import { backendAnswering, backendRefusing, readRequest } from "@/test/backend";
import { project, projectPage } from "@/test/factories";

import { createProject, deleteProject, getProject, listProjects, updateProject } from "./projects";

function backend(status: number, body?: unknown) {
  const { requests, fetchImpl } = backendAnswering(status, body);
  return {
    options: { baseUrl: "http://backend:8000", token: "tok", fetchImpl },
    sent: () => Promise.all(requests.map(readRequest)),
  };
}

describe("the projects API calls", () => {
  it("list the first page with the page size and no cursor", async () => {
    const { sent, options } = backend(200, projectPage([project()], "c2"));
    const result = await listProjects({}, options);
    expect(result).toEqual({ kind: "ok", data: projectPage([project()], "c2") });
    expect(await sent()).toEqual([
      { method: "GET", url: "http://backend:8000/api/v1/projects/?limit=20", auth: "Bearer tok", contentType: null, body: undefined },
    ]);
  });

  it("list the page after a cursor, encoded in the query", async () => {
    const { sent, options } = backend(200, projectPage([]));
    await listProjects({ cursor: "MjAyNi0x|+/=" }, options);
    expect((await sent())[0].url).toBe("http://backend:8000/api/v1/projects/?limit=20&cursor=MjAyNi0x%7C%2B%2F%3D");
  });

  it("create with a JSON body and read the 201 answer", async () => {
    const { sent, options } = backend(201, project());
    const result = await createProject({ name: "Apollo", description: "To the moon" }, options);
    expect(result).toEqual({ kind: "ok", data: project() });
    expect((await sent())[0]).toMatchObject({
      method: "POST",
      url: "http://backend:8000/api/v1/projects/",
      contentType: "application/json",
      body: { name: "Apollo", description: "To the moon" },
    });
  });

  it("read, change and delete one project at its own path", async () => {
    const read = backend(200, project({ id: "prj_abc" }));
    expect(await getProject("prj_abc", read.options)).toEqual({ kind: "ok", data: project({ id: "prj_abc" }) });
    expect((await read.sent())[0]).toMatchObject({ method: "GET", url: "http://backend:8000/api/v1/projects/prj_abc/" });

    const change = backend(200, project({ name: "Artemis" }));
    expect(await updateProject("prj_abc", { name: "Artemis" }, change.options)).toMatchObject({ kind: "ok", data: { name: "Artemis" } });
    expect((await change.sent())[0]).toMatchObject({
      method: "PATCH",
      url: "http://backend:8000/api/v1/projects/prj_abc/",
      body: { name: "Artemis" },
    });

    const removal = backend(204);
    expect(await deleteProject("prj_abc", removal.options)).toEqual({ kind: "ok", data: undefined });
    expect((await removal.sent())[0]).toMatchObject({ method: "DELETE", url: "http://backend:8000/api/v1/projects/prj_abc/", body: undefined });
  });

  it("encode an id that is not one, so it cannot reach another path", async () => {
    const { sent, options } = backend(404, { detail: "not found", code: "not-found" });
    await getProject("../auth/me?x=1", options);
    expect((await sent())[0].url).toBe("http://backend:8000/api/v1/projects/..%2Fauth%2Fme%3Fx%3D1/");
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
    const { fetchImpl } = backendRefusing(status, code, "the backend's sentence");
    const options = { baseUrl: "http://backend:8000", token: "tok", fetchImpl };
    expect(await createProject({ name: "Apollo", description: "" }, options)).toEqual({ kind, status, code, detail: "the backend's sentence" });
  });
});
