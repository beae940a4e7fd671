"use client";

import { useState } from "react";
import { useAuth } from "@clerk/nextjs";

import { ProfileView } from "@/components/profile-view";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { fetchMe } from "@/lib/api/client";
import { dashboardState, type DashboardState } from "@/lib/profile-view";

/** Calls the backend from the browser, through nginx, with a fresh token as a Bearer header. */
export function RefreshFromApi() {
  const { getToken, isLoaded } = useAuth();
  const [state, setState] = useState<DashboardState | null>(null);
  const [loading, setLoading] = useState(false);

  async function refresh() {
    setLoading(true);
    try {
      setState(dashboardState(await fetchMe({ baseUrl: "", token: await getToken() })));
    } finally {
      setLoading(false);
    }
  }

  return (
    <Card look="dashed" className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 className="font-semibold">Live from the API</h2>
          <p className="text-sm text-slate-600">The same endpoint, called from your browser.</p>
        </div>
        <Button variant="neutral" onClick={refresh} disabled={!isLoaded || loading} data-testid="refresh-from-api">
          {loading ? "Refreshing…" : "Refresh from API"}
        </Button>
      </div>
      {state && <ProfileView state={state} source="browser" />}
    </Card>
  );
}
