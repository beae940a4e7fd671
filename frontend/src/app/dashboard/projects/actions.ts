"use server";
// The projects page's Server Actions. Each one protects itself (a Server Action is a public
// endpoint whatever page renders it), calls the backend as the signed-in user, and leaves every
// rule to the backend: a forged form gets the backend's refusal, shown by the page.
import { auth } from "@clerk/nextjs/server";
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";

import { createProject, deleteProject, updateProject } from "@/lib/api/projects";
import { internalBackendUrl } from "@/lib/api/server";
import { projectFormValues, stateAfterCreate, stateAfterUpdate, type ProjectFormState } from "@/lib/projects/form-state";
import { PROJECTS_HREF, projectHref } from "@/lib/projects/list-state";
import { deleteRefusalKey } from "@/lib/projects/refusals";

export async function createProjectAction(_previous: ProjectFormState, form: FormData): Promise<ProjectFormState> {
  const { getToken } = await auth.protect();
  const call = { baseUrl: internalBackendUrl(), token: await getToken() };
  const submitted = projectFormValues(form);
  const result = await createProject(submitted, call);
  if (result.kind === "ok") revalidatePath(PROJECTS_HREF);
  return stateAfterCreate(result, submitted);
}

/** Bound to the project's id by the page; the id is the browser's to change, and the backend checks it. */
export async function updateProjectAction(projectId: string, _previous: ProjectFormState, form: FormData): Promise<ProjectFormState> {
  const { getToken } = await auth.protect();
  const call = { baseUrl: internalBackendUrl(), token: await getToken() };
  const submitted = projectFormValues(form);
  const result = await updateProject(projectId, submitted, call);
  if (result.kind === "ok") revalidatePath(PROJECTS_HREF, "layout");
  return stateAfterUpdate(result, submitted);
}

/**
 * Answers with a redirect, so it works before the page's JavaScript runs: to the list once
 * deleted, else back to the project with the refusal's key in the address.
 */
export async function deleteProjectAction(form: FormData): Promise<never> {
  const { getToken } = await auth.protect();
  const call = { baseUrl: internalBackendUrl(), token: await getToken() };
  const projectId = form.get("projectId");
  const id = typeof projectId === "string" ? projectId : "";
  const result = await deleteProject(id, call);
  if (result.kind === "ok") {
    revalidatePath(PROJECTS_HREF, "layout");
    redirect(`${PROJECTS_HREF}?deleted=1`);
  }
  redirect(`${projectHref(id)}?${new URLSearchParams({ refused: deleteRefusalKey(result) })}`);
}
