// The projects page: what it shows for the answer to the list call, and where its pages are.
import type { ApiResult } from "../api/client";
import type { Project, ProjectPage } from "../api/types";
import { projectsFailureView, type ProjectsFailureView } from "./refusals";

export const PROJECTS_HREF = "/dashboard/projects";

export type ProjectListState =
  | { view: "projects"; projects: Project[]; nextPageHref: string | null }
  | { view: "empty" }
  | ProjectsFailureView;

export function projectListState(result: ApiResult<ProjectPage>, { isFirstPage }: { isFirstPage: boolean }): ProjectListState {
  if (result.kind === "ok") {
    const { items, next_cursor } = result.data;
    if (items.length === 0 && isFirstPage) return { view: "empty" };
    return { view: "projects", projects: items, nextPageHref: next_cursor ? projectsPageHref(next_cursor) : null };
  }
  return projectsFailureView(result);
}

/** The list from its first page (no cursor) or from the page after `cursor`. */
export function projectsPageHref(cursor: string | null): string {
  return cursor ? `${PROJECTS_HREF}?${new URLSearchParams({ cursor })}` : PROJECTS_HREF;
}

export function projectHref(projectId: string): string {
  return `${PROJECTS_HREF}/${encodeURIComponent(projectId)}`;
}

/** One value of a search parameter as Next.js hands it over (absent, once, or repeated); null when absent or empty. */
export function searchParam(value: string | string[] | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first ? first : null;
}
