import { Card, CardHeading } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";

// Shown the moment the dashboard is opened, while its server component waits for the backend.
export default function DashboardLoading() {
  return (
    <div className="space-y-8" role="status" data-testid="dashboard-loading">
      <p className="sr-only">Loading your dashboard…</p>
      <div className="space-y-2">
        <h1 className="text-2xl font-bold tracking-tight sm:text-3xl">Dashboard</h1>
        <Skeleton className="h-5 w-64" />
      </div>
      <div className="space-y-6">
        <Card className="flex items-center gap-4">
          <Skeleton className="h-14 w-14 rounded-full" />
          <div className="space-y-2">
            <Skeleton className="h-5 w-40" />
            <Skeleton className="h-4 w-56" />
          </div>
        </Card>
        <Card className="space-y-3">
          <CardHeading>Active organization</CardHeading>
          <Skeleton className="h-6 w-48" />
        </Card>
        <Card className="space-y-3">
          <CardHeading>Your organizations</CardHeading>
          <Skeleton className="h-5 w-full" />
          <Skeleton className="h-5 w-full" />
        </Card>
      </div>
    </div>
  );
}
