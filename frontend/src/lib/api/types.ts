// Names for the shapes of the backend's OpenAPI schema. `schema.ts` is generated from it
// (`make api-types`): never write a response type by hand, name it here instead.
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Me = Schemas["MeOut"];
export type Membership = Schemas["OrganizationOut"];
export type ActiveOrganization = Schemas["ActiveOrganizationOut"];

/** A project of the active organization, with its creator (null once their account is deleted). */
export type Project = Schemas["ProjectOut"];
export type ProjectCreator = Schemas["CreatorOut"];
/** One page of projects, newest first; `next_cursor` is null on the last page. */
export type ProjectPage = Schemas["ProjectPageOut"];
export type NewProject = Schemas["ProjectIn"];
export type ProjectChanges = Schemas["ProjectChanges"];

/** The body of every error answer: match on `code`, never on `detail` (which is for people). */
export type ErrorOut = Schemas["ErrorOut"];
export type ErrorCode = Schemas["ErrorCode"];
