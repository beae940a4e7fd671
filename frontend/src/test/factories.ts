// Values of the API's shapes for unit tests, typed by the generated schema: a test states only
// what it is about (`me({ organizations: [] })`). A field added to a response shape (`make
// api-types`) gets its default here, once; tsc points here, and no test changes.
import type { Me, Membership, Project, ProjectPage } from "@/lib/api/types";

export function membership(overrides: Partial<Membership> = {}): Membership {
  return { clerk_id: "org_1", name: "Acme", slug: "acme", role: "org:admin", image_url: "", ...overrides };
}

/** The signed-in user: a complete profile, a member of one organization, none active. */
export function me(overrides: Partial<Me> = {}): Me {
  return {
    id: 1,
    clerk_id: "user_1",
    email: "ada@example.com",
    first_name: "Ada",
    last_name: "Lovelace",
    image_url: "",
    profile_complete: true,
    organizations: [membership()],
    active_organization: null,
    actor: null,
    ...overrides,
  };
}

/** A project created by Ada, never changed since. */
export function project(overrides: Partial<Project> = {}): Project {
  return {
    id: "prj_abc",
    name: "Apollo",
    description: "To the moon",
    created_by: { clerk_id: "user_1", name: "Ada Lovelace" },
    created_at: "2026-12-03T10:00:00Z",
    updated_at: "2026-12-03T10:00:00Z",
    ...overrides,
  };
}

/** A page of the projects list; the last one unless `next_cursor` says otherwise. */
export function projectPage(items: Project[], next_cursor: string | null = null): ProjectPage {
  return { items, next_cursor };
}
