import type { Metadata } from "next";
import { OrganizationSwitcher } from "@clerk/nextjs";
import { auth } from "@clerk/nextjs/server";

import { ProfileView } from "@/components/profile-view";
import { fetchMe } from "@/lib/api/client";
import { internalBackendUrl } from "@/lib/api/server";
import { dashboardState } from "@/lib/profile-view";

import { RefreshFromApi } from "./refresh-from-api";

export const metadata: Metadata = { title: "Dashboard" };
export const dynamic = "force-dynamic";

export default async function DashboardPage() {
  // The session token is the `__session` cookie itself; the backend verifies it again.
  const { getToken } = await auth.protect();
  const token = await getToken();
  const result = await fetchMe({ baseUrl: internalBackendUrl(), token });

  return (
    <div className="space-y-8">
      <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:justify-between">
        <div>
          <h1 className="text-2xl font-bold tracking-tight sm:text-3xl" data-testid="dashboard-title">
            Dashboard
          </h1>
          <p className="text-slate-600">Your account as the backend knows it.</p>
        </div>
        <div className="min-h-10" data-testid="organization-switcher">
          <OrganizationSwitcher hidePersonal={false} afterSelectOrganizationUrl="/dashboard" afterSelectPersonalUrl="/dashboard" />
        </div>
      </div>
      <ProfileView state={dashboardState(result)} source="server" />
      <RefreshFromApi />
    </div>
  );
}
