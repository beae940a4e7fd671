// What Clerk tells the backend, through Svix, about the fake's users, organizations and
// memberships: payloads typed by the `WebhookEvent` of the @clerk/backend that @clerk/nextjs
// brings, signed and posted as Svix does.
import { randomBytes, randomUUID } from "node:crypto";

import type { OrganizationMembershipWebhookEvent, OrganizationWebhookEvent, UserWebhookEvent } from "@clerk/backend";
import { Webhook } from "svix";

import type { MembershipRecord, OrganizationRecord, RoleRecord, UserRecord } from "./records";

export type ClerkWebhookEvent = UserWebhookEvent | OrganizationWebhookEvent | OrganizationMembershipWebhookEvent;

const INSTANCE_ID = "ins_fake_clerk";

type Verification = NonNullable<Extract<UserWebhookEvent, { type: "user.created" }>["data"]["email_addresses"][number]["verification"]>;
// Clerk sends `"object": "verification_otp"` and no id here; @clerk/backend's type wants an
// `ObjectType`, which names no kind of verification.
const VERIFIED_BY_EMAIL_CODE = {
  object: "verification_otp",
  status: "verified",
  strategy: "email_code",
  attempts: 1,
  expire_at: null,
} as unknown as Verification;
const EVENT_ATTRIBUTES = { http_request: { client_ip: "127.0.0.1", user_agent: "fake-clerk" } };

export function userCreatedEvent(user: UserRecord): UserWebhookEvent {
  return {
    type: "user.created",
    object: "event",
    instance_id: INSTANCE_ID,
    timestamp: Date.now(),
    event_attributes: EVENT_ATTRIBUTES,
    data: {
      object: "user",
      id: user.id,
      username: null,
      first_name: user.firstName,
      last_name: user.lastName,
      image_url: "",
      has_image: false,
      primary_email_address_id: user.emailAddressId,
      primary_phone_number_id: null,
      primary_web3_wallet_id: null,
      password_enabled: user.password !== null,
      two_factor_enabled: false,
      totp_enabled: false,
      backup_code_enabled: false,
      email_addresses: [
        {
          object: "email_address",
          id: user.emailAddressId,
          email_address: user.email,
          verification: VERIFIED_BY_EMAIL_CODE,
          linked_to: [],
        },
      ],
      phone_numbers: [],
      web3_wallets: [],
      organization_memberships: null,
      external_accounts: [],
      enterprise_accounts: [],
      password_last_updated_at: null,
      public_metadata: {},
      private_metadata: {},
      unsafe_metadata: {},
      external_id: null,
      last_sign_in_at: user.lastSignInAt,
      banned: false,
      locked: false,
      deprovisioned: false,
      lockout_expires_in_seconds: null,
      verification_attempts_remaining: null,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
      last_active_at: null,
      create_organization_enabled: true,
      create_organizations_limit: null,
      delete_self_enabled: false,
      legal_accepted_at: null,
      locale: null,
      timezone: null,
    },
  };
}

export function organizationCreatedEvent(organization: OrganizationRecord): OrganizationWebhookEvent {
  return {
    type: "organization.created",
    object: "event",
    instance_id: INSTANCE_ID,
    timestamp: Date.now(),
    event_attributes: EVENT_ATTRIBUTES,
    data: organizationData(organization),
  };
}

export function membershipCreatedEvent(
  membership: MembershipRecord,
  user: UserRecord,
  organization: OrganizationRecord,
  role: RoleRecord,
): OrganizationMembershipWebhookEvent {
  return {
    type: "organizationMembership.created",
    object: "event",
    instance_id: INSTANCE_ID,
    timestamp: Date.now(),
    event_attributes: EVENT_ATTRIBUTES,
    data: {
      object: "organization_membership",
      id: membership.id,
      role: membership.role,
      permissions: [...role.permissions],
      public_metadata: {},
      organization: organizationData(organization),
      public_user_data: {
        user_id: user.id,
        identifier: user.email,
        first_name: user.firstName,
        last_name: user.lastName,
        image_url: "",
        has_image: false,
      },
      created_at: membership.createdAt,
      updated_at: membership.updatedAt,
    },
  };
}

function organizationData(organization: OrganizationRecord) {
  return {
    object: "organization" as const,
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    image_url: "",
    has_image: false,
    max_allowed_memberships: 5,
    admin_delete_enabled: true,
    public_metadata: {},
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
  };
}

export function newSigningSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** Posts one event as Svix does: the raw JSON, signed over `id.timestamp.body` with the endpoint's secret. */
export async function deliverWebhook(endpoint: string, secret: string, event: ClerkWebhookEvent): Promise<Response> {
  const body = JSON.stringify(event);
  const id = `msg_${randomUUID().replace(/-/g, "")}`;
  const timestamp = new Date();
  return fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "svix-id": id,
      "svix-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(id, timestamp, body),
    },
    body,
  });
}
