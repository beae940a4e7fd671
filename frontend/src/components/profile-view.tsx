import { StateMessage } from "@/components/state-message";
import { Card, CardHeading } from "@/components/ui/card";
import { Notice } from "@/components/ui/notice";
import type { DashboardState } from "@/lib/profile-view";
import { displayName, roleLabel } from "@/lib/profile-view";

/** Renders what the backend said about the signed-in user, whatever it said. */
export function ProfileView({ state, source }: { state: DashboardState; source: "server" | "browser" }) {
  if (state.view !== "profile") {
    return <StateMessage state={state} data-source={source} />;
  }
  const { me, completing, noOrganizations } = state;
  const active = me.active_organization;
  return (
    <div className="space-y-6" data-testid={`profile-${source}`}>
      {me.actor && (
        <Notice tone="info" data-testid="state-acting">
          {me.actor.type === "agent"
            ? `An agent (${me.actor.subject}) is acting on your behalf in this session.`
            : `Someone else (${me.actor.subject}) is signed in as you: this session is an impersonation.`}
        </Notice>
      )}
      {completing && (
        <Notice tone="info" data-testid="state-completing">
          Welcome! We&apos;re still setting up your profile; your details will appear here in a moment.
        </Notice>
      )}
      <Card className="flex items-center gap-4">
        {me.image_url ? (
          // eslint-disable-next-line @next/next/no-img-element -- Clerk's image host is not configured for next/image.
          <img src={me.image_url} alt="" className="h-14 w-14 rounded-full bg-slate-100 object-cover" />
        ) : (
          <div aria-hidden className="grid h-14 w-14 place-items-center rounded-full bg-brand-100 text-xl font-semibold text-brand-700">
            {displayName(me).charAt(0).toUpperCase()}
          </div>
        )}
        <div className="min-w-0">
          <p className="truncate text-lg font-semibold" data-testid="profile-name">
            {displayName(me)}
          </p>
          <p className="truncate text-slate-600" data-testid="profile-email">
            {me.email ?? "No email address"}
          </p>
        </div>
      </Card>

      <Card>
        <CardHeading>Active organization</CardHeading>
        {active ? (
          <p className="mt-2 text-lg" data-testid="active-organization">
            <span className="font-semibold">{active.name ?? active.slug ?? active.clerk_id}</span>
            <span className="ml-2 rounded-full bg-brand-50 px-2 py-0.5 text-sm text-brand-700" data-testid="active-role">
              {roleLabel(active.role)}
            </span>
          </p>
        ) : (
          <p className="mt-2 text-slate-600" data-testid="active-organization-none">
            Personal account: no organization is active.
          </p>
        )}
      </Card>

      <Card>
        <CardHeading>Your organizations</CardHeading>
        {noOrganizations ? (
          <p className="mt-2 text-slate-600" data-testid="state-no-organizations">
            You don&apos;t belong to an organization yet. Create one with the organization switcher above to invite your team.
          </p>
        ) : (
          <ul className="mt-3 divide-y divide-slate-100" data-testid="organizations">
            {me.organizations.map((organization) => (
              <li key={organization.clerk_id} className="flex items-center justify-between gap-4 py-3" data-testid="organization">
                <div className="min-w-0">
                  <p className="truncate font-medium">{organization.name || organization.slug}</p>
                  <p className="truncate text-sm text-slate-500">{organization.slug}</p>
                </div>
                <span className="shrink-0 rounded-full bg-slate-100 px-2 py-0.5 text-sm text-slate-700">
                  {roleLabel(organization.role)}
                  {active?.clerk_id === organization.clerk_id && " · active"}
                </span>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
