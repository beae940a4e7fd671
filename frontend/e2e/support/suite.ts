import { expect, inject } from "vitest";

import { deliverWebhook, FakeClerk, type ClerkWebhookEvent } from "../fake-clerk";
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
