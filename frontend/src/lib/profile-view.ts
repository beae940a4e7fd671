import type { MeResult } from "./api/client";
import type { Me } from "./api/types";
import { failureView, type FailureView } from "./failure-view";

/** One screen state per outcome: the dashboard never renders a blank page. */
export type DashboardState = { view: "profile"; me: Me; completing: boolean; noOrganizations: boolean } | FailureView;

export function dashboardState(result: MeResult): DashboardState {
  if (result.kind !== "ok") return failureView(result);
  return {
    view: "profile",
    me: result.data,
    completing: !result.data.profile_complete,
    noOrganizations: result.data.organizations.length === 0,
  };
}

export function displayName(me: Pick<Me, "first_name" | "last_name" | "email">): string {
  const name = [me.first_name, me.last_name].filter(Boolean).join(" ").trim();
  return name || me.email || "New user";
}

/** Clerk sends roles as `org:<role>`; people read the part after the prefix. */
export function roleLabel(role: string | null | undefined): string {
  if (!role) return "member";
  return role.replace(/^org:/, "").replace(/_/g, " ");
}
