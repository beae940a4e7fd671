import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { auth } from "@clerk/nextjs/server";

import { StateMessage } from "@/components/state-message";
import { Card, CardHeading } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { getProject } from "@/lib/api/projects";
import { internalBackendUrl } from "@/lib/api/server";
import type { Project } from "@/lib/api/types";
import { creatorLabel, formatDay, offeredActions, wasChanged } from "@/lib/projects/display";
import { PROJECTS_HREF, searchParam } from "@/lib/projects/list-state";
import { deleteRefusalMessage, projectsFailureView, type ProjectsFailureView } from "@/lib/projects/refusals";

import { updateProjectAction } from "../actions";
import { DeleteProjectForm } from "../delete-project-form";
import { ProjectForm } from "../project-form";

export const metadata: Metadata = { title: "Project" };
export const dynamic = "force-dynamic";

type Props = {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export default async function ProjectPage({ params, searchParams }: Props) {
  const { userId, has, getToken } = await auth.protect();
  const { projectId } = await params;
  const result = await getProject(projectId, { baseUrl: internalBackendUrl(), token: await getToken() });
  // Another organization's project is "not found" too: the backend never says it exists.
  if (result.kind !== "ok" && result.code === "not-found") notFound();
  const refusedDeletion = deleteRefusalMessage(searchParam((await searchParams).refused));

  return (
    <div className="space-y-8">
      <Link href={PROJECTS_HREF} className="text-sm font-semibold text-brand-700 hover:underline" data-testid="all-projects">
        ← All projects
      </Link>
      {refusedDeletion && (
        <Notice tone="error" data-testid="state-delete-refused">
          {refusedDeletion}
        </Notice>
      )}
      {result.kind === "ok" ? (
        <ProjectDetails project={result.data} session={{ userId, isAdmin: has({ role: "org:admin" }) }} />
      ) : (
        <Failure state={projectsFailureView(result)} />
      )}
    </div>
  );
}

function Failure({ state }: { state: ProjectsFailureView }) {
  return state.view === "no-active-organization" ? (
    <Notice tone="info" data-testid="state-no-active-organization">
      {state.message}
    </Notice>
  ) : (
    <StateMessage state={state} />
  );
}

function ProjectDetails({
  project,
  session,
}: {
  project: Project;
  session: { userId: string | null; isAdmin: boolean };
}) {
  const offered = offeredActions(project, session);
  return (
    <>
      <Card className="space-y-2" data-testid="project-details">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="project-title">
          {project.name}
        </h1>
        {project.description && <p className="whitespace-pre-line text-slate-700">{project.description}</p>}
        <p className="text-sm text-slate-500" data-testid="project-meta">
          Created by {creatorLabel(project, session.userId)} on <time dateTime={project.created_at}>{formatDay(project.created_at)}</time>
          {wasChanged(project) && (
            <>
              {" "}
              · changed on <time dateTime={project.updated_at}>{formatDay(project.updated_at)}</time>
            </>
          )}
        </p>
      </Card>
      {offered.edit && (
        <Card className="space-y-4">
          <CardHeading>Change this project</CardHeading>
          <ProjectForm
            action={updateProjectAction.bind(null, project.id)}
            initialState={{ status: "editing", message: null, field: null, values: { name: project.name, description: project.description } }}
            submitLabel="Save changes"
            pendingLabel="Saving…"
            data-testid="edit-project"
          />
        </Card>
      )}
      {offered.delete && (
        <Card className="flex flex-wrap items-center justify-between gap-3">
          <div>
            <CardHeading>Delete this project</CardHeading>
            <p className="mt-1 text-sm text-slate-600">Everyone in the organization loses it. This cannot be undone.</p>
          </div>
          <DeleteProjectForm projectId={project.id} projectName={project.name} />
        </Card>
      )}
    </>
  );
}
