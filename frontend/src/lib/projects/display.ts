// How a project reads on the page, and which of its actions the page offers.
import type { Project } from "../api/types";

/** Who created the project, as the signed-in user reads it. */
export function creatorLabel(project: Pick<Project, "created_by">, signedInUserId: string | null): string {
  const creator = project.created_by;
  if (creator === null) return "a deleted account";
  if (signedInUserId !== null && creator.clerk_id === signedInUserId) return "you";
  return creator.name || "a member";
}

const DAY = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** A timestamp of the API as a day ("3 Dec 2026", in UTC: the server renders it, whatever the reader's zone). */
export function formatDay(timestamp: string): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? timestamp : DAY.format(date);
}

/** Whether the project was changed after it was created (the two times differ by microseconds at creation). */
export function wasChanged(project: Pick<Project, "created_at" | "updated_at">): boolean {
  return Date.parse(project.updated_at) - Date.parse(project.created_at) >= 1000;
}

/**
 * The buttons the page shows, from the session's role: the creator or an admin may change a
 * project, only an admin may delete one. This only hides buttons: the backend decides, and
 * answers a forged request with 403.
 */
export function offeredActions(
  project: Pick<Project, "created_by">,
  session: { userId: string | null; isAdmin: boolean },
): { edit: boolean; delete: boolean } {
  const isCreator = session.userId !== null && project.created_by?.clerk_id === session.userId;
  return { edit: session.isAdmin || isCreator, delete: session.isAdmin };
}
