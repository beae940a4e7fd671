// The projects of the active organization (`/api/v1/projects/`): one function per endpoint.
// The organization is the one of the session token; the backend applies every rule.
import { callBackend, type ApiResult, type CallOptions } from "./client";
import type { NewProject, Project, ProjectChanges, ProjectPage } from "./types";

/** How many projects a page of the list shows. */
export const PROJECTS_PER_PAGE = 20;

/** A page of projects, newest first: the first without `cursor`, then the one after `cursor`. */
export function listProjects(
  { cursor = null, limit = PROJECTS_PER_PAGE }: { cursor?: string | null; limit?: number },
  options: CallOptions,
): Promise<ApiResult<ProjectPage>> {
  return callBackend(options, (api) => api.GET("/api/v1/projects/", { params: { query: { limit, cursor } } }));
}

// The id is the caller's input (an address, a form): openapi-fetch encodes it into its segment.
export function getProject(projectId: string, options: CallOptions): Promise<ApiResult<Project>> {
  return callBackend(options, (api) => api.GET("/api/v1/projects/{project_id}/", { params: { path: { project_id: projectId } } }));
}

export function createProject(project: NewProject, options: CallOptions): Promise<ApiResult<Project>> {
  return callBackend(options, (api) => api.POST("/api/v1/projects/", { body: project }));
}

export function updateProject(projectId: string, changes: ProjectChanges, options: CallOptions): Promise<ApiResult<Project>> {
  return callBackend(options, (api) =>
    api.PATCH("/api/v1/projects/{project_id}/", { params: { path: { project_id: projectId } }, body: changes }),
  );
}

export function deleteProject(projectId: string, options: CallOptions): Promise<ApiResult<undefined>> {
  return callBackend(options, (api) => api.DELETE("/api/v1/projects/{project_id}/", { params: { path: { project_id: projectId } } }));
}
