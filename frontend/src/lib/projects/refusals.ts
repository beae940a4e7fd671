// What the projects pages say when the backend refuses a read, a create, a change or a deletion:
// decided by the error's code (never its wording), then by the kind of failure (failure-view.ts).
// This is the one place where a project's error code becomes a sentence.
import type { ApiFailure } from "../api/client";
import type { ErrorCode } from "../api/types";
import { ACCOUNT_DELETED, backendUnreachable, failureView, SESSION_EXPIRED, type FailureView } from "../failure-view";

export type ProjectAction = "create" | "update" | "delete";

/** A refusal to show beside the form; `field` is the input it is about, when the code tells. */
export type Refusal = { message: string; field: "name" | null };

const NO_ACTIVE_ORGANIZATION =
  "Projects belong to an organization. Choose one with the organization switcher, or create one, to see its projects.";
// The webhook said they left (or were removed) after their session's token was issued.
const NOT_A_MEMBER =
  "You are no longer a member of this organization. Choose another with the organization switcher to see its projects.";
const NOT_FOUND = "This project does not exist in your active organization: it may have been deleted.";
const NOT_ALLOWED: Record<ProjectAction, string> = {
  create: "Your role in this organization does not allow creating projects.",
  update: "Only the project's creator or an admin of this organization can change it.",
  delete: "Only an admin of this organization can delete a project.",
};

/** What a projects page shows instead of its projects when reading them failed. */
export type ProjectsFailureView = { view: "no-active-organization"; message: string } | FailureView;

export function projectsFailureView(failure: ApiFailure): ProjectsFailureView {
  if (failure.code === "no-active-organization") return { view: "no-active-organization", message: NO_ACTIVE_ORGANIZATION };
  if (failure.code === "not-a-member") return { view: "no-active-organization", message: NOT_A_MEMBER };
  return failureView(failure);
}

export function refusalOf(action: ProjectAction, failure: ApiFailure, submittedName?: string): Refusal {
  switch (failure.code) {
    case "name-taken":
      return {
        field: "name",
        message: `A project named “${submittedName?.trim() ?? ""}” already exists in this organization. Choose another name.`,
      };
    case "invalid-request":
      // The backend's sentence names the field ("invalid name: must be 1 to 100 characters").
      return { field: null, message: `The server refused the form: ${failure.detail}.` };
    case "not-allowed":
      return { field: null, message: NOT_ALLOWED[action] };
    case "not-found":
      return { field: null, message: NOT_FOUND };
    default:
      return { field: null, message: projectsFailureView(failure).message };
  }
}

// A deletion answers with a redirect (it works without JavaScript, and a forged form gets its
// answer shown too): a refusal travels in the address as one of these keys, never as a sentence.
const DELETE_REFUSALS = {
  "not-allowed": NOT_ALLOWED.delete,
  "not-found": NOT_FOUND,
  "no-active-organization": NO_ACTIVE_ORGANIZATION,
  "not-a-member": NOT_A_MEMBER,
  "signed-out": SESSION_EXPIRED,
  "account-deleted": ACCOUNT_DELETED,
  unreachable: backendUnreachable(null),
  failed: "The server could not delete the project. Try again in a moment.",
} as const satisfies Partial<Record<ErrorCode, string>> & Record<ApiFailure["kind"], string>;

export type DeleteRefusalKey = keyof typeof DELETE_REFUSALS;

/** The key of a refused deletion: its code when the page has a sentence for it, else its kind. */
export function deleteRefusalKey(failure: ApiFailure): DeleteRefusalKey {
  const code: ErrorCode | null = failure.code;
  return code !== null && isDeleteRefusalKey(code) ? code : failure.kind;
}

/** The sentence for a `refused` parameter of the address; null for anything that is not a key. */
export function deleteRefusalMessage(key: string | null): string | null {
  return key !== null && isDeleteRefusalKey(key) ? DELETE_REFUSALS[key] : null;
}

function isDeleteRefusalKey(value: string): value is DeleteRefusalKey {
  return Object.hasOwn(DELETE_REFUSALS, value);
}
