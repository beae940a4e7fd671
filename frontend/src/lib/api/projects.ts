// The projects of the active organization (`/api/v1/projects/`): one function per endpoint.
// The organization is the one of the session token; the backend applies every rule.
import { callApi, type ApiResult, type CallOptions } from "./client";
import type { ApiPath, NewProject, Project, ProjectChanges, ProjectPage } from "./types";

const PROJECTS_PATH = "/api/v1/projects/" satisfies ApiPath;
const PROJECT_PATH = "/api/v1/projects/{project_id}/" satisfies ApiPath;

/** How many projects a page of the list shows. */
export const PROJECTS_PER_PAGE = 20;

/** The path of one project: its id is the caller's input, so it is encoded. */
export function projectPath(projectId: string): string {
  return PROJECT_PATH.replace("{project_id}", encodeURIComponent(projectId));
}

/** A page of projects, newest first: the first without `cursor`, then the one after `cursor`. */
export function listProjects(
  { cursor = null, limit = PROJECTS_PER_PAGE }: { cursor?: string | null; limit?: number },
  options: CallOptions,
): Promise<ApiResult<ProjectPage>> {
  return callApi({ method: "GET", path: PROJECTS_PATH, query: { limit, cursor } }, isProjectPage, options);
}

export function getProject(projectId: string, options: CallOptions): Promise<ApiResult<Project>> {
  return callApi({ method: "GET", path: projectPath(projectId) }, isProject, options);
}

export function createProject(project: NewProject, options: CallOptions): Promise<ApiResult<Project>> {
  return callApi({ method: "POST", path: PROJECTS_PATH, body: project }, isProject, options);
}

export function updateProject(projectId: string, changes: ProjectChanges, options: CallOptions): Promise<ApiResult<Project>> {
  return callApi({ method: "PATCH", path: projectPath(projectId), body: changes }, isProject, options);
}

export function deleteProject(projectId: string, options: CallOptions): Promise<ApiResult<null>> {
  return callApi({ method: "DELETE", path: projectPath(projectId) }, isNoContent, options);
}

function isProject(body: unknown): body is Project {
  if (!body || typeof body !== "object") return false;
  const candidate = body as Partial<Project>;
  return (
    typeof candidate.id === "string" &&
    typeof candidate.name === "string" &&
    typeof candidate.description === "string" &&
    typeof candidate.created_at === "string" &&
    (candidate.created_by === null || typeof candidate.created_by?.clerk_id === "string")
  );
}

function isProjectPage(body: unknown): body is ProjectPage {
  if (!body || typeof body !== "object") return false;
  const candidate = body as Partial<ProjectPage>;
  return (
    Array.isArray(candidate.items) &&
    candidate.items.every(isProject) &&
    (candidate.next_cursor === null || typeof candidate.next_cursor === "string")
  );
}

function isNoContent(body: unknown): body is null {
  return body === null;
}
