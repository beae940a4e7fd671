import type { ApiFailure } from "./api/client";

/** What a page shows when a call to the backend failed: one state, and one sentence, per kind of failure. */
export type FailureView =
  | { view: "session-expired"; message: string }
  | { view: "account-deleted"; message: string }
  | { view: "backend-unreachable"; message: string }
  | { view: "error"; message: string };

export function failureView(failure: ApiFailure): FailureView {
  switch (failure.kind) {
    case "signed-out":
      return { view: "session-expired", message: "Your session has expired. Sign in again to continue." };
    case "account-deleted":
      return { view: "account-deleted", message: "This account has been deleted. Contact support if you think this is a mistake." };
    case "unreachable":
      return {
        view: "backend-unreachable",
        message: `We can't reach the server right now (${failure.detail}). Try again in a moment.`,
      };
    case "failed":
      return { view: "error", message: `The server answered ${failure.status}: ${failure.detail}.` };
  }
}
