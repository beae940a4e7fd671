import { randomBytes, randomInt } from "node:crypto";

import type {
  ClientRecord,
  MembershipRecord,
  OrganizationRecord,
  RoleRecord,
  SentEmail,
  SessionRecord,
  SignInRecord,
  SignUpRecord,
  UserRecord,
} from "./records";
import { errorJSON, type ErrorBody, type InstanceSettings, type InstanceView } from "./resources";
import { sessionTokenClaims, signHandshakePayload, signSessionToken } from "./session-token";
import { membershipCreatedEvent, organizationCreatedEvent, userCreatedEvent, type ClerkWebhookEvent } from "./webhooks";

/** A Frontend API error: the status and body Clerk answers with. */
export class FrontendApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.errors[0]?.long_message ?? body.errors[0]?.message);
  }
}

export type FakeClerkOptions = {
  /** The publishable key the app was built with; its Frontend API host is the one faked. */
  publishableKey: string;
  /** PKCS#8 PEM of the key whose public half the servers verify tokens with (`CLERK_JWT_KEY`). */
  privatePem: string;
  /**
   * The app's origin: the base of the environment's URLs, and the `Origin` of the requests the
   * fake answers on the browser's behalf without one (a test's sign-in shortcut).
   */
  appOrigin: string;
  applicationName?: string;
  signInPath?: string;
  signUpPath?: string;
};

export type NewUser = {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
  /** Defaults to a fresh `user_…` id. */
  id?: string;
};

export type NewOrganization = { name: string; slug: string; id?: string };

/** Clerk's two default roles and the system permissions they carry. */
const DEFAULT_ROLES: RoleRecord[] = [
  {
    key: "org:admin",
    name: "Admin",
    permissions: [
      "org:sys_profile:manage",
      "org:sys_profile:delete",
      "org:sys_memberships:read",
      "org:sys_memberships:manage",
      "org:sys_domains:read",
      "org:sys_domains:manage",
    ],
  },
  { key: "org:member", name: "Member", permissions: ["org:sys_memberships:read"] },
];

const DAY_MS = 24 * 3600_000;

/**
 * One Clerk instance in memory: users, organizations, roles and memberships, plus a client per
 * browser with its sessions, sign-ins and sign-ups. Make one per test; its operations follow the
 * rules of Clerk's Frontend API for the calls Clerk's components make in the journeys tested.
 */
export class FakeClerk implements InstanceView {
  readonly settings: InstanceSettings;
  readonly publishableKey: string;
  /** `clerk.example.test`: where clerk-js calls the Frontend API and loads its bundles from. */
  readonly frontendApiHost: string;
  /** `example.test`: the app's domain, on which the Frontend API sets `__client_uat`. */
  readonly appDomain: string;
  readonly issuer: string;
  /** Every verification email "sent", newest last. */
  readonly sentEmails: SentEmail[] = [];
  /** Webhook events Clerk would have sent and the tests have not delivered yet (see takeWebhookEvents). */
  private webhookOutbox: ClerkWebhookEvent[] = [];
  private readonly privatePem: string;
  private readonly users = new Map<string, UserRecord>();
  private readonly organizations = new Map<string, OrganizationRecord>();
  private readonly memberships = new Map<string, MembershipRecord>();
  private readonly roles = new Map<string, RoleRecord>(DEFAULT_ROLES.map((role) => [role.key, role]));
  private readonly clients: ClientRecord[] = [];
  /** How far the instance's clock is behind the real one (see `backdated`). */
  private clockOffsetMs = 0;

  constructor(options: FakeClerkOptions) {
    this.publishableKey = options.publishableKey;
    this.frontendApiHost = frontendApiHostOf(options.publishableKey);
    this.appDomain = appDomainOf(options.publishableKey);
    this.issuer = `https://${this.frontendApiHost}`;
    this.privatePem = options.privatePem;
    this.settings = {
      appOrigin: options.appOrigin,
      applicationName: options.applicationName ?? "Starter",
      signInPath: options.signInPath ?? "/sign-in",
      signUpPath: options.signUpPath ?? "/sign-up",
      maxMembershipsPerOrganization: 5,
    };
  }

  // --- the clock ------------------------------------------------------------------------

  /** The instance's time, in Unix milliseconds: what its tokens and records are stamped with. */
  now(): number {
    return Date.now() - this.clockOffsetMs;
  }

  /**
   * Runs `action` with the instance's clock `seconds` behind: what it mints and records meanwhile
   * is as old as if it had happened then. A test signs someone in two minutes ago and has an
   * expired session token at once, where waiting would take a minute and more. Nothing else may
   * call the fake meanwhile (no page of the test's open): clerk-js would be handed tokens born stale.
   */
  async backdated<T>(seconds: number, action: () => Promise<T>): Promise<T> {
    this.clockOffsetMs += seconds * 1000;
    try {
      return await action();
    } finally {
      this.clockOffsetMs -= seconds * 1000;
    }
  }

  // --- what a test sets up ----------------------------------------------------------------

  addUser(user: NewUser): UserRecord {
    if (this.findUserByEmail(user.email)) throw new Error(`a user with ${user.email} exists already`);
    const now = this.now();
    const record: UserRecord = {
      id: user.id ?? clerkId("user"),
      emailAddressId: clerkId("idn"),
      email: user.email,
      password: user.password,
      firstName: user.firstName ?? null,
      lastName: user.lastName ?? null,
      lastSignInAt: null,
      createdAt: now,
      updatedAt: now,
    };
    this.users.set(record.id, record);
    this.webhookOutbox.push(userCreatedEvent(record));
    return record;
  }

  addOrganization(organization: NewOrganization): OrganizationRecord {
    const now = this.now();
    const record: OrganizationRecord = {
      id: organization.id ?? clerkId("org"),
      name: organization.name,
      slug: organization.slug,
      createdAt: now,
      updatedAt: now,
    };
    this.organizations.set(record.id, record);
    this.webhookOutbox.push(organizationCreatedEvent(record));
    return record;
  }

  /**
   * A custom role, as defined under Configure → Roles & permissions. Permissions are
   * `org:<feature>:<action>`; members with the role get them in their session token.
   */
  defineRole(key: `org:${string}`, name: string, permissions: readonly string[]): RoleRecord {
    const role: RoleRecord = { key, name, permissions: ["org:sys_memberships:read", ...permissions] };
    this.roles.set(key, role);
    return role;
  }

  addMembership(user: UserRecord, organization: OrganizationRecord, role: string): MembershipRecord {
    const roleRecord = this.role(role);
    const now = this.now();
    const record: MembershipRecord = {
      id: clerkId("orgmem"),
      userId: user.id,
      organizationId: organization.id,
      role,
      createdAt: now,
      updatedAt: now,
    };
    this.memberships.set(record.id, record);
    this.webhookOutbox.push(membershipCreatedEvent(record, user, organization, roleRecord));
    return record;
  }

  /**
   * The events Clerk would have sent since the last call, oldest first: what happened in the
   * fake (users added or signed up, organizations, memberships) reaches the backend only when a
   * test delivers these, as it reaches yours only when Svix does.
   */
  takeWebhookEvents(): ClerkWebhookEvent[] {
    const events = this.webhookOutbox;
    this.webhookOutbox = [];
    return events;
  }

  /** The last verification code emailed to `email`. */
  lastEmailCode(email: string): string {
    const sent = this.sentEmails.filter((mail) => mail.to === email).at(-1);
    if (!sent) throw new Error(`no verification email was sent to ${email}`);
    return sent.code;
  }

  findUserByEmail(email: string): UserRecord | undefined {
    return [...this.users.values()].find((user) => user.email.toLowerCase() === email.toLowerCase());
  }

  // --- lookups (InstanceView) ------------------------------------------------------------

  user(id: string): UserRecord {
    return found(this.users.get(id), `user ${id}`);
  }

  organization(id: string): OrganizationRecord {
    return found(this.organizations.get(id), `organization ${id}`);
  }

  role(key: string): RoleRecord {
    return found(this.roles.get(key), `role ${key} (define it with defineRole)`);
  }

  membershipsOf(userId: string): MembershipRecord[] {
    return [...this.memberships.values()].filter((membership) => membership.userId === userId);
  }

  membersOf(organizationId: string): MembershipRecord[] {
    return [...this.memberships.values()].filter((membership) => membership.organizationId === organizationId);
  }

  // --- clients and sessions --------------------------------------------------------------

  /** A new browser's client, created on its first Frontend API call. */
  createClient(): ClientRecord {
    const now = this.now();
    const client: ClientRecord = {
      id: clerkId("client"),
      sessions: [],
      signIn: null,
      signUp: null,
      lastActiveSessionId: null,
      createdAt: now,
      updatedAt: now,
    };
    this.clients.push(client);
    return client;
  }

  /**
   * Starts a session on `client` for `user`, as a completed sign-in does; its first token is
   * minted for `origin`, the `Origin` of the request that completed it (clerk-js's, on the app).
   */
  async startSession(
    client: ClientRecord,
    user: UserRecord,
    activeOrganizationId: string | null = null,
    origin: string | null = this.settings.appOrigin,
  ): Promise<SessionRecord> {
    const now = this.now();
    const session: SessionRecord = {
      id: clerkId("sess"),
      userId: user.id,
      status: "active",
      activeOrganizationId: null,
      lastActiveToken: "",
      lastActiveAt: now,
      expireAt: now + 7 * DAY_MS,
      abandonAt: now + 30 * DAY_MS,
      createdAt: now,
      updatedAt: now,
    };
    // Single-session mode: signing in replaces whatever session the client had.
    for (const existing of client.sessions) existing.status = "removed";
    client.sessions = [session];
    client.lastActiveSessionId = session.id;
    user.lastSignInAt = now;
    await this.touchSession(client, session.id, { activeOrganizationId }, origin);
    return session;
  }

  /**
   * The client's active session `sessionId`. A client with no active session at all is signed
   * out, which Clerk answers 401 `signed_out` (clerk-js then signs the tab out); one that has
   * others but not this one gets 404 "No session was found with id …" (clerk-js stays
   * degraded). Both answers are seen from production clerk-js; see the kit's README.
   */
  activeSession(client: ClientRecord, sessionId: string): SessionRecord {
    const session = client.sessions.find((candidate) => candidate.id === sessionId && candidate.status === "active");
    if (session) return session;
    if (!client.sessions.some((candidate) => candidate.status === "active")) {
      throw new FrontendApiError(401, errorJSON("signed_out", "Signed out", "You are signed out"));
    }
    throw new FrontendApiError(404, errorJSON("resource_not_found", "not found", `No session was found with id ${sessionId}`));
  }

  /**
   * `POST /v1/client/sessions/{id}/touch`: marks the session active now and, when given,
   * switches its active organization (`""` or `null` for the personal account).
   */
  async touchSession(
    client: ClientRecord,
    sessionId: string,
    changes: { activeOrganizationId?: string | null },
    origin: string | null,
  ): Promise<SessionRecord> {
    const session = this.activeSession(client, sessionId);
    if (changes.activeOrganizationId !== undefined) {
      const organizationId = changes.activeOrganizationId || null;
      this.assertMember(session, organizationId, "active_organization_id");
      session.activeOrganizationId = organizationId;
    }
    // The client changes with the token, in the same second: `__client_uat` (the client's
    // updated_at) must never be newer than the session token's `iat`, or servers ask Clerk again.
    const now = this.now();
    session.lastActiveAt = now;
    session.updatedAt = now;
    client.updatedAt = now;
    session.lastActiveToken = await this.mintToken(session, session.activeOrganizationId, now, origin);
    return session;
  }

  /**
   * `POST /v1/client/sessions/{id}/tokens`: a fresh session token, for the session's active
   * organization unless one is named (`""` for the personal account). clerk-js names the
   * organization its tab has active, which another tab may since have switched away from: the
   * token is for the one named, and the session's active organization stays as it is.
   */
  async createSessionToken(
    client: ClientRecord,
    sessionId: string,
    organizationId: string | null | undefined,
    origin: string | null,
  ): Promise<string> {
    const session = this.activeSession(client, sessionId);
    const organization = organizationId === undefined ? session.activeOrganizationId : organizationId || null;
    this.assertMember(session, organization, "organization_id");
    const token = await this.mintToken(session, organization, this.now(), origin);
    if (organization === session.activeOrganizationId) session.lastActiveToken = token;
    return token;
  }

  /**
   * `GET /v1/client/handshake`, for a browser whose session token the app's server found stale:
   * a fresh token for the client's session and its active organization, minted for a top-level
   * navigation, which carries no `Origin`, so without `azp`. Null when the client is signed out
   * (no session, or it was ended elsewhere): the handshake then signs the browser out.
   */
  async handshakeSessionToken(client: ClientRecord): Promise<string | null> {
    const session = client.sessions.find((candidate) => candidate.id === client.lastActiveSessionId && candidate.status === "active");
    if (!session) return null;
    session.lastActiveToken = await this.mintToken(session, session.activeOrganizationId, this.now(), null);
    return session.lastActiveToken;
  }

  /** The handshake payload for `directives`, signed with the instance key. */
  signHandshake(directives: string[]): Promise<string> {
    return signHandshakePayload(this.privatePem, directives, Math.floor(this.now() / 1000));
  }

  /**
   * A session ended elsewhere: revoked from another device, the Dashboard or the Backend API.
   * Its browser's client loses it; the tokens it already holds stay valid until they expire, as
   * every session token does (servers verify them without asking Clerk).
   */
  revokeSession(session: SessionRecord): void {
    session.status = "revoked";
    session.updatedAt = this.now();
    const client = this.clients.find((candidate) => candidate.sessions.includes(session));
    if (!client) return;
    client.sessions = client.sessions.filter((candidate) => candidate !== session);
    if (client.lastActiveSessionId === session.id) client.lastActiveSessionId = null;
    client.updatedAt = this.now();
  }

  /** Signing out: every session of the client is removed. */
  removeSessions(client: ClientRecord): void {
    for (const session of client.sessions) session.status = "removed";
    client.sessions = [];
    client.lastActiveSessionId = null;
    client.updatedAt = this.now();
  }

  // --- sign-in ---------------------------------------------------------------------------

  /** `POST /v1/client/sign_ins`: identify the user; with `password`, sign in at once. */
  async createSignIn(
    client: ClientRecord,
    params: { identifier?: string; password?: string },
    origin: string | null,
  ): Promise<SignInRecord> {
    const identifier = params.identifier?.trim() ?? "";
    const user = identifier ? this.findUserByEmail(identifier) : undefined;
    if (!user) {
      throw new FrontendApiError(
        422,
        errorJSON("form_identifier_not_found", "Couldn't find your account.", "Couldn't find your account.", "identifier"),
      );
    }
    const signIn: SignInRecord = {
      id: clerkId("sia"),
      status: "needs_first_factor",
      identifier,
      userId: user.id,
      firstFactorVerification: null,
      createdSessionId: null,
    };
    client.signIn = signIn;
    client.updatedAt = this.now();
    if (params.password !== undefined) await this.attemptPassword(client, signIn, params.password, origin);
    return signIn;
  }

  /** `POST /v1/client/sign_ins/{id}/attempt_first_factor` with `strategy=password`. */
  async attemptFirstFactor(
    client: ClientRecord,
    signInId: string,
    params: { strategy?: string; password?: string },
    origin: string | null,
  ): Promise<SignInRecord> {
    const signIn = client.signIn;
    if (!signIn || signIn.id !== signInId) {
      throw new FrontendApiError(404, errorJSON("resource_not_found", "not found", `No sign in was found with id ${signInId}`));
    }
    if (params.strategy !== "password") {
      throw new FrontendApiError(
        422,
        errorJSON("strategy_for_user_invalid", "is invalid", "The fake Clerk signs in with passwords only.", "strategy"),
      );
    }
    await this.attemptPassword(client, signIn, params.password ?? "", origin);
    return signIn;
  }

  private async attemptPassword(client: ClientRecord, signIn: SignInRecord, password: string, origin: string | null): Promise<void> {
    const user = this.user(signIn.userId);
    const attempts = (signIn.firstFactorVerification?.attempts ?? 0) + 1;
    if (user.password === null || password !== user.password) {
      throw new FrontendApiError(
        422,
        errorJSON(
          "form_password_incorrect",
          "Password is incorrect. Try again, or use another method.",
          "Password is incorrect. Try again, or use another method.",
          "password",
        ),
      );
    }
    const session = await this.startSession(client, user, null, origin);
    signIn.status = "complete";
    signIn.firstFactorVerification = { strategy: "password", status: "verified", attempts };
    signIn.createdSessionId = session.id;
  }

  // --- sign-up ---------------------------------------------------------------------------

  /** `POST /v1/client/sign_ups` (and `PATCH …/{id}`): the fields entered so far. */
  createOrUpdateSignUp(
    client: ClientRecord,
    signUpId: string | null,
    params: { email_address?: string; password?: string; first_name?: string; last_name?: string },
  ): SignUpRecord {
    const email = params.email_address?.trim();
    if (email !== undefined && this.findUserByEmail(email)) {
      throw new FrontendApiError(
        422,
        errorJSON(
          "form_identifier_exists",
          "That email address is taken. Please try another.",
          "That email address is taken. Please try another.",
          "email_address",
        ),
      );
    }
    if (params.password !== undefined && params.password.length < 8) {
      throw new FrontendApiError(
        422,
        errorJSON(
          "form_password_length_too_short",
          "Passwords must be 8 characters or more.",
          "Passwords must be 8 characters or more.",
          "password",
        ),
      );
    }
    let signUp = client.signUp;
    if (signUpId === null || !signUp) {
      signUp = {
        id: clerkId("sua"),
        status: "missing_requirements",
        emailAddress: null,
        password: null,
        firstName: null,
        lastName: null,
        emailVerification: null,
        createdUserId: null,
        createdSessionId: null,
        createdAt: this.now(),
      };
      client.signUp = signUp;
    } else if (signUp.id !== signUpId) {
      throw new FrontendApiError(404, errorJSON("resource_not_found", "not found", `No sign up was found with id ${signUpId}`));
    }
    if (email !== undefined) signUp.emailAddress = email;
    if (params.password !== undefined) signUp.password = params.password;
    if (params.first_name !== undefined) signUp.firstName = params.first_name || null;
    if (params.last_name !== undefined) signUp.lastName = params.last_name || null;
    client.updatedAt = this.now();
    return signUp;
  }

  /** `POST /v1/client/sign_ups/{id}/prepare_verification` with `strategy=email_code`: emails a code. */
  prepareEmailVerification(client: ClientRecord, signUpId: string, strategy: string | undefined): SignUpRecord {
    const signUp = this.signUpInProgress(client, signUpId);
    if (strategy !== "email_code" || !signUp.emailAddress) {
      throw new FrontendApiError(
        422,
        errorJSON("verification_strategy_invalid", "is invalid", "The fake Clerk verifies email addresses with a code only.", "strategy"),
      );
    }
    const now = this.now();
    signUp.emailVerification = { strategy: "email_code", status: "unverified", attempts: 0, expireAt: now + 10 * 60_000 };
    this.sentEmails.push({ to: signUp.emailAddress, code: String(randomInt(0, 1_000_000)).padStart(6, "0"), sentAt: now });
    client.updatedAt = now;
    return signUp;
  }

  /**
   * `POST /v1/client/sign_ups/{id}/attempt_verification`: the right code verifies the address,
   * which completes the sign-up: the user exists and a session starts.
   */
  async attemptEmailVerification(
    client: ClientRecord,
    signUpId: string,
    code: string | undefined,
    origin: string | null,
  ): Promise<SignUpRecord> {
    const signUp = this.signUpInProgress(client, signUpId);
    const verification = signUp.emailVerification;
    if (!verification || !signUp.emailAddress) {
      throw new FrontendApiError(
        400,
        errorJSON("verification_missing", "not prepared", "Prepare the verification before attempting it."),
      );
    }
    verification.attempts += 1;
    if (code !== this.lastEmailCode(signUp.emailAddress)) {
      throw new FrontendApiError(422, errorJSON("form_code_incorrect", "Incorrect code", "Incorrect code", "code"));
    }
    verification.status = "verified";
    client.updatedAt = this.now();
    if (signUp.password === null) return signUp; // still missing the password the instance requires
    const user = this.addUser({
      email: signUp.emailAddress,
      password: signUp.password,
      firstName: signUp.firstName ?? undefined,
      lastName: signUp.lastName ?? undefined,
    });
    const session = await this.startSession(client, user, null, origin);
    signUp.status = "complete";
    signUp.createdUserId = user.id;
    signUp.createdSessionId = session.id;
    return signUp;
  }

  private signUpInProgress(client: ClientRecord, signUpId: string): SignUpRecord {
    const signUp = client.signUp;
    if (!signUp || signUp.id !== signUpId) {
      throw new FrontendApiError(404, errorJSON("resource_not_found", "not found", `No sign up was found with id ${signUpId}`));
    }
    return signUp;
  }

  // --- tokens ----------------------------------------------------------------------------

  private membershipIn(userId: string, organizationId: string): MembershipRecord | undefined {
    return this.membershipsOf(userId).find((membership) => membership.organizationId === organizationId);
  }

  private assertMember(session: SessionRecord, organizationId: string | null, paramName: string): void {
    if (organizationId && !this.membershipIn(session.userId, organizationId)) {
      throw new FrontendApiError(
        404,
        errorJSON("resource_not_found", "not found", "The user is not a member of this organization.", paramName),
      );
    }
  }

  /** A session token as of `nowMs`, its `azp` the `origin` of the request that asked for it (none without one). */
  private async mintToken(session: SessionRecord, organizationId: string | null, nowMs: number, origin: string | null): Promise<string> {
    const membership = organizationId ? this.membershipIn(session.userId, organizationId) : undefined;
    const organization = membership && this.organization(membership.organizationId);
    const claims = sessionTokenClaims({
      issuer: this.issuer,
      userId: session.userId,
      sessionId: session.id,
      authorizedParty: origin,
      issuedAt: Math.floor(nowMs / 1000),
      organization: membership &&
        organization && {
          id: organization.id,
          slug: organization.slug,
          role: membership.role,
          permissions: this.role(membership.role).permissions,
        },
    });
    return signSessionToken(this.privatePem, claims);
  }
}

/** `pk_live_<base64 of "clerk.example.test$">` → `clerk.example.test`. */
export function frontendApiHostOf(publishableKey: string): string {
  const host = Buffer.from(publishableKey.replace(/^pk_(live|test)_/, ""), "base64").toString().replace(/\$$/, "");
  if (!/^clerk\.[a-z0-9.-]+$/.test(host)) {
    throw new Error(`${publishableKey} is not a production publishable key of a Frontend API at clerk.<your domain>`);
  }
  return host;
}

/** The domain the app lives on: the Frontend API's host less `clerk.` (`example.test`). */
export function appDomainOf(publishableKey: string): string {
  return frontendApiHostOf(publishableKey).replace(/^clerk\./, "");
}

/** Clerk-style ids: a prefix and 27 base-62 characters (`user_2x…`). */
export function clerkId(prefix: string): string {
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  const bytes = randomBytes(27);
  return `${prefix}_${Array.from(bytes, (byte) => alphabet[byte % 62]).join("")}`;
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the fake Clerk has no ${what}`);
  return value;
}
