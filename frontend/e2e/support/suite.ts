import { expect, inject } from "vitest";

import { deliverWebhook, FakeClerk, type ClerkWebhookEvent, type OrganizationRecord, type UserRecord } from "../fake-clerk";
import { TEST_PUBLISHABLE_KEY } from "./test-build";

export const appUrl = (path = "") => `${inject("appUrl")}${path}`;

/** A fresh Clerk instance for one test, minting tokens the stack accepts. */
export function newFakeClerk(): FakeClerk {
  return new FakeClerk({ publishableKey: TEST_PUBLISHABLE_KEY, privatePem: inject("privatePem"), appOrigin: inject("appUrl") });
}

/** Delivers what Clerk would have sent about `clerk`'s changes, through nginx, as Svix does. */
export async function deliverWebhooks(clerk: FakeClerk): Promise<void> {
  await deliverEvents(clerk.takeWebhookEvents());
}

export async function deliverEvents(events: ClerkWebhookEvent[]): Promise<void> {
  const endpoint = `${inject("stack").url}/api/v1/auth/clerk_webhook/`;
  for (const event of events) {
    const response = await deliverWebhook(endpoint, inject("webhookSecret"), event);
    expect(response.status, `${event.type}: ${await response.text()}`).toBe(200);
  }
}

/** Runs a command on the stack (`stop backend`, `start backend`). */
export async function controlStack(command: "stop backend" | "start backend") {
  const response = await fetch(inject("controlUrl"), { method: "POST", body: command });
  expect(response.status).toBe(200);
  return response.json();
}

type BackendRequest = { method: "GET" | "POST" | "PATCH" | "DELETE"; path: string; body?: unknown };

/**
 * Calls to the backend through nginx as `user` with `organization` active, with a session token
 * `clerk` mints as it would for their browser (valid 60 s): for setting data up without clicks.
 */
export async function backendAs(
  clerk: FakeClerk,
  user: UserRecord,
  organization: OrganizationRecord | null,
): Promise<(request: BackendRequest) => Promise<Response>> {
  const session = await clerk.startSession(clerk.createClient(), user, organization?.id ?? null);
  return (request) =>
    fetch(`${inject("stack").url}${request.path}`, {
      method: request.method,
      headers: { Authorization: `Bearer ${session.lastActiveToken}`, "Content-Type": "application/json" },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
    });
}

/** Creates projects in `organization` as `user`, in this order (the list shows the last one first); returns their ids. */
export async function createProjectsAs(
  clerk: FakeClerk,
  user: UserRecord,
  organization: OrganizationRecord,
  names: string[],
): Promise<string[]> {
  const call = await backendAs(clerk, user, organization);
  const ids: string[] = [];
  for (const name of names) {
    const response = await call({ method: "POST", path: "/api/v1/projects/", body: { name } });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(201);
    ids.push((body as { id: string }).id);
  }
  return ids;
}
