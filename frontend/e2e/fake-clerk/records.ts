// What the fake Clerk instance remembers. Times are Unix milliseconds, as in Clerk's JSON.

export type UserRecord = {
  id: string;
  emailAddressId: string;
  email: string;
  password: string | null;
  firstName: string | null;
  lastName: string | null;
  lastSignInAt: number | null;
  createdAt: number;
  updatedAt: number;
};

export type OrganizationRecord = {
  id: string;
  name: string;
  slug: string;
  createdAt: number;
  updatedAt: number;
};

export type MembershipRecord = {
  id: string;
  userId: string;
  organizationId: string;
  role: string;
  createdAt: number;
  updatedAt: number;
};

export type RoleRecord = {
  key: string;
  name: string;
  /** System (`org:sys_*`) and custom (`org:<feature>:<action>`) permissions. */
  permissions: readonly string[];
};

export type SessionRecord = {
  id: string;
  userId: string;
  /** `removed` by signing out on this client; `revoked` when ended elsewhere. */
  status: "active" | "removed" | "revoked";
  activeOrganizationId: string | null;
  lastActiveToken: string;
  lastActiveAt: number;
  expireAt: number;
  abandonAt: number;
  createdAt: number;
  updatedAt: number;
};

export type CodeVerificationRecord = {
  strategy: "email_code";
  status: "unverified" | "verified" | "failed";
  attempts: number;
  expireAt: number;
};

export type SignInRecord = {
  id: string;
  status: "needs_first_factor" | "complete";
  identifier: string;
  userId: string;
  firstFactorVerification: { strategy: "password"; status: "verified"; attempts: number } | null;
  createdSessionId: string | null;
};

export type SignUpRecord = {
  id: string;
  status: "missing_requirements" | "complete";
  emailAddress: string | null;
  password: string | null;
  firstName: string | null;
  lastName: string | null;
  emailVerification: CodeVerificationRecord | null;
  createdUserId: string | null;
  createdSessionId: string | null;
  createdAt: number;
};

/** One browser's Clerk client: its sessions and the sign-in or sign-up in progress. */
export type ClientRecord = {
  id: string;
  sessions: SessionRecord[];
  signIn: SignInRecord | null;
  signUp: SignUpRecord | null;
  lastActiveSessionId: string | null;
  createdAt: number;
  updatedAt: number;
};

/** An email the instance "sent": the tests read verification codes from here. */
export type SentEmail = { to: string; code: string; sentAt: number };
