import type { Metadata } from "next";
import Link from "next/link";
import { OrganizationSwitcher } from "@clerk/nextjs";
import { auth } from "@clerk/nextjs/server";

import { StateMessage } from "@/components/state-message";
import { ButtonLink } from "@/components/ui/button";
import { Card, CardHeading } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import { listProjects } from "@/lib/api/projects";
import { internalBackendUrl } from "@/lib/api/server";
import type { Project } from "@/lib/api/types";
import { creatorLabel, formatDay, offeredActions } from "@/lib/projects/display";
import { EMPTY_PROJECT_FORM } from "@/lib/projects/form-state";
import { projectHref, projectListState, projectsPageHref, searchParam } from "@/lib/projects/list-state";

import { createProjectAction } from "./actions";
import { DeleteProjectForm } from "./delete-project-form";
import { ProjectForm } from "./project-form";

export const metadata: Metadata = { title: "Projects" };
export const dynamic = "force-dynamic";

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ProjectsPage({ searchParams }: { searchParams: SearchParams }) {
  const { userId, has, getToken } = await auth.protect();
  const params = await searchParams;
  const cursor = searchParam(params.cursor);
  const result = await listProjects({ cursor }, { baseUrl: internalBackendUrl(), token: await getToken() });
  const state = projectListState(result, { isFirstPage: cursor === null });
  // Which buttons to show; the backend decides what happens when one is used (or forged).
  const session = { userId, isAdmin: has({ role: "org:admin" }) };

  return (
    <div className="space-y-8">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="projects-title">
            Projects
          </h1>
          <p className="text-slate-600">Your active organization&apos;s projects, newest first.</p>
        </div>
        <div className="min-h-10" data-testid="organization-switcher">
          <OrganizationSwitcher
            hidePersonal={false}
            afterSelectOrganizationUrl="/dashboard/projects"
            afterSelectPersonalUrl="/dashboard/projects"
          />
        </div>
      </div>

      {searchParam(params.deleted) && (
        <Notice tone="info" data-testid="state-deleted">
          The project was deleted.
        </Notice>
      )}

      {(state.view === "projects" || state.view === "empty") && (
        <div className="grid items-start gap-6 lg:grid-cols-3">
          {/* First for a keyboard and on a phone; beside the list on a wide screen. */}
          <Card className="space-y-4 lg:order-last">
            <CardHeading>New project</CardHeading>
            <ProjectForm
              action={createProjectAction}
              initialState={EMPTY_PROJECT_FORM}
              submitLabel="Create project"
              pendingLabel="Creating…"
              data-testid="create-project"
            />
          </Card>
          <div className="lg:col-span-2">
            {state.view === "projects" ? (
              <ProjectList projects={state.projects} session={session} cursor={cursor} nextPageHref={state.nextPageHref} />
            ) : (
              <Card className="text-center" data-testid="state-no-projects">
                <p className="font-semibold">No projects yet</p>
                <p className="mt-1 text-slate-600">Create your organization&apos;s first project: everyone in it will see it here.</p>
              </Card>
            )}
          </div>
        </div>
      )}

      {state.view === "no-active-organization" && (
        <Notice tone="info" data-testid="state-no-active-organization">
          {state.message}
        </Notice>
      )}

      {state.view !== "projects" && state.view !== "empty" && state.view !== "no-active-organization" && (
        <div className="space-y-3">
          <StateMessage state={state} />
          {cursor && (
            <Link href={projectsPageHref(null)} className="inline-block font-semibold text-brand-700 underline" data-testid="first-page">
              Back to the first page
            </Link>
          )}
        </div>
      )}
    </div>
  );
}

type Session = { userId: string | null; isAdmin: boolean };

function ProjectList({
  projects,
  session,
  cursor,
  nextPageHref,
}: {
  projects: Project[];
  session: Session;
  cursor: string | null;
  nextPageHref: string | null;
}) {
  return (
    <Card className="space-y-4">
      <CardHeading>{cursor ? "Older projects" : "Latest projects"}</CardHeading>
      {projects.length === 0 ? (
        <p className="text-slate-600" data-testid="state-no-more-projects">
          There are no more projects.
        </p>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="projects">
          {projects.map((project) => (
            <ProjectRow key={project.id} project={project} session={session} />
          ))}
        </ul>
      )}
      {(cursor || nextPageHref) && (
        <nav aria-label="Pages of projects" className="flex items-center justify-between gap-3 pt-2">
          {cursor ? (
            <ButtonLink href={projectsPageHref(null)} variant="ghost" size="sm" data-testid="first-page">
              ← First page
            </ButtonLink>
          ) : (
            <span />
          )}
          {nextPageHref && (
            <ButtonLink href={nextPageHref} variant="secondary" size="sm" data-testid="next-page">
              Next page →
            </ButtonLink>
          )}
        </nav>
      )}
    </Card>
  );
}

function ProjectRow({ project, session }: { project: Project; session: Session }) {
  const offered = offeredActions(project, session);
  return (
    <li className="flex flex-col gap-3 py-4 sm:flex-row sm:items-start sm:justify-between" data-testid="project" data-project-id={project.id}>
      <div className="min-w-0 space-y-1">
        <Link href={projectHref(project.id)} className="font-semibold text-slate-900 hover:text-brand-700 hover:underline" data-testid="project-name">
          {project.name}
        </Link>
        {project.description && <p className="line-clamp-2 text-sm text-slate-600">{project.description}</p>}
        <p className="text-sm text-slate-500" data-testid="project-meta">
          Created by {creatorLabel(project, session.userId)} on{" "}
          <time dateTime={project.created_at}>{formatDay(project.created_at)}</time>
        </p>
      </div>
      <div className="flex shrink-0 items-center gap-2">
        {offered.edit && (
          <ButtonLink href={projectHref(project.id)} variant="secondary" size="sm" data-testid="edit-project-link">
            Edit
          </ButtonLink>
        )}
        {offered.delete && <DeleteProjectForm projectId={project.id} projectName={project.name} />}
      </div>
    </li>
  );
}
