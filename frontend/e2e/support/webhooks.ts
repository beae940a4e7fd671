import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "svix";

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

type Person = { userId: string; email: string; firstName: string; lastName: string };
type Organization = { organizationId: string; name: string; slug: string };

const nowMs = () => Date.now();

export function userCreated(person: Person) {
  const emailId = `idn_${person.userId.replace(/^user_/, "")}`;
  return envelope("user.created", {
    id: person.userId,
    object: "user",
    first_name: person.firstName,
    last_name: person.lastName,
    image_url: "",
    primary_email_address_id: emailId,
    email_addresses: [
      { id: emailId, object: "email_address", email_address: person.email, verification: { status: "verified", strategy: "email_code" } },
    ],
    phone_numbers: [],
    created_at: nowMs(),
    updated_at: nowMs(),
  });
}

export function organizationCreated(organization: Organization) {
  return envelope("organization.created", organizationData(organization));
}

export function membershipCreated(membershipId: string, person: Person, organization: Organization, role: string) {
  return envelope("organizationMembership.created", {
    id: membershipId,
    object: "organization_membership",
    role,
    organization: organizationData(organization),
    public_user_data: {
      user_id: person.userId,
      identifier: person.email,
      first_name: person.firstName,
      last_name: person.lastName,
      image_url: "",
    },
    created_at: nowMs(),
    updated_at: nowMs(),
  });
}

function organizationData(organization: Organization) {
  return {
    id: organization.organizationId,
    object: "organization",
    name: organization.name,
    slug: organization.slug,
    image_url: "",
    created_at: nowMs(),
    updated_at: nowMs(),
  };
}

function envelope(type: string, data: Record<string, unknown>) {
  return { object: "event", type, data, timestamp: nowMs(), instance_id: "ins_browser_tests" };
}

/** Delivers one event the way Svix does: signed raw bytes to the webhook endpoint. */
export async function deliver(baseUrl: string, secret: string, event: object): Promise<Response> {
  const body = JSON.stringify(event);
  const id = `msg_${randomUUID().replace(/-/g, "")}`;
  const timestamp = new Date();
  const signature = new Webhook(secret).sign(id, timestamp, body);
  return fetch(`${baseUrl}/api/v1/auth/clerk_webhook/`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": signature,
    },
    body,
  });
}
