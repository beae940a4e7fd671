// A fake Clerk for browser tests, offline: Clerk's real clerk-js and UI bundles from npm, and a
// Frontend API in memory that answers them. See "Testing signed-in pages offline" in the README.
export { checkPinsMatchClerkNextjs, ensureBundles, PINNED_BUNDLES } from "./bundles";
export { appDomainOf, FakeClerk, type FakeClerkOptions, type NewOrganization, type NewUser } from "./instance";
export { appOriginFor, attachFakeClerk, chromiumArgsForApp, type ClerkBrowser } from "./playwright";
export type { MembershipRecord, OrganizationRecord, RoleRecord, UserRecord } from "./records";
export { generateSigningKeys, type SigningKeys } from "./session-token";
export { deliverWebhook, newSigningSecret, type ClerkWebhookEvent } from "./webhooks";
