import { Card, CardHeading } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

// Shown while the projects page (or one project) waits for the backend.
export default function ProjectsLoading() {
  return (
    <div className="space-y-8" role="status" data-testid="projects-loading">
      <p className="sr-only">Loading projects…</p>
      <div className="space-y-2">
        <Skeleton className="h-8 w-40" />
        <Skeleton className="h-5 w-72" />
      </div>
      <Card className="space-y-3">
        <CardHeading>Projects</CardHeading>
        <Skeleton className="h-5 w-full" />
        <Skeleton className="h-5 w-full" />
        <Skeleton className="h-5 w-2/3" />
      </Card>
    </div>
  );
}
