import type { MeResult } from "./api/client";
import type { Me } from "./api/types";

/** One screen state per outcome: the dashboard never renders a blank page. */
export type DashboardState =
  | { view: "profile"; me: Me; completing: boolean; noOrganizations: boolean }
  | { view: "session-expired"; message: string }
  | { view: "account-deleted"; message: string }
  | { view: "backend-unreachable"; message: string }
  | { view: "error"; message: string };

export function dashboardState(result: MeResult): DashboardState {
  switch (result.kind) {
    case "ok":
      return {
        view: "profile",
        me: result.data,
        completing: !result.data.profile_complete,
        noOrganizations: result.data.organizations.length === 0,
      };
    case "signed-out":
      return { view: "session-expired", message: "Your session has expired. Sign in again to continue." };
    case "account-deleted":
      return { view: "account-deleted", message: "This account has been deleted. Contact support if you think this is a mistake." };
    case "unreachable":
      return {
        view: "backend-unreachable",
        message: `We can't reach the server right now (${result.detail}). Try again in a moment.`,
      };
    case "failed":
      return { view: "error", message: `The server answered ${result.status}: ${result.detail}.` };
  }
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
