import Link from "next/link";

import { Card } from "@/components/ui/card";
import { PROJECTS_HREF } from "@/lib/projects/list-state";

// The same page for a deleted project, a mistyped id and another organization's project.
export default function ProjectNotFound() {
  return (
    <Card className="text-center" data-testid="state-project-not-found">
      <h1 className="text-2xl font-bold">Project not found</h1>
      <p className="mt-2 text-slate-600">There is no such project in your active organization.</p>
      <Link href={PROJECTS_HREF} className="mt-4 inline-block font-semibold text-brand-700 underline">
        See your organization&apos;s projects
      </Link>
    </Card>
  );
}
