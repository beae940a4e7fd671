// The fake's records rendered as the Frontend API's JSON. Every shape is typed by the `*JSON`
// types of the @clerk/shared that @clerk/nextjs uses, so a Clerk upgrade that changes one fails
// `npm run typecheck` here instead of a browser test at random. (@clerk/shared is deliberately
// not a dependency of our own: it comes with @clerk/nextjs and cannot drift from it.)
import type {
  ClerkAPIErrorJSON,
  ClientJSON,
  EmailAddressJSON,
  EnvironmentJSON,
  OrganizationJSON,
  OrganizationMembershipJSON,
  OrganizationSettingsJSON,
  PublicUserDataJSON,
  SessionJSON,
  SignInJSON,
  SignUpJSON,
  SignUpVerificationJSON,
  TokenJSON,
  UserJSON,
  UserSettingsJSON,
  VerificationJSON,
} from "@clerk/shared/types";

import type {
  ClientRecord,
  CodeVerificationRecord,
  MembershipRecord,
  OrganizationRecord,
  RoleRecord,
  SessionRecord,
  SignInRecord,
  SignUpRecord,
  UserRecord,
} from "./records";

/** What rendering needs to look up across records. */
export interface InstanceView {
  user(id: string): UserRecord;
  organization(id: string): OrganizationRecord;
  role(key: string): RoleRecord;
  membershipsOf(userId: string): MembershipRecord[];
  membersOf(organizationId: string): MembershipRecord[];
}

export type InstanceSettings = {
  /** Where the app lives, for the redirect URLs Clerk's components read from the environment. */
  appOrigin: string;
  applicationName: string;
  signInPath: string;
  signUpPath: string;
  maxMembershipsPerOrganization: number;
};

/**
 * A production instance with what the journeys use: email address and password to sign in,
 * an email code to verify a new address, organizations on, nothing else (no phone, username,
 * social or passkey sign-in, no captcha, no billing).
 */
export function environmentJSON(settings: InstanceSettings): EnvironmentJSON {
  const url = (path: string) => new URL(path, settings.appOrigin).href;
  return {
    object: "environment",
    id: "env_fake",
    maintenance_mode: false,
    auth_config: {
      object: "auth_config",
      id: "aac_fake",
      single_session_mode: true,
      claimed_at: null,
      reverification: false,
    },
    display_config: {
      object: "display_config",
      id: "display_config_fake",
      instance_environment_type: "production",
      application_name: settings.applicationName,
      branded: false,
      preferred_sign_in_strategy: "password",
      logo_image_url: "",
      favicon_image_url: "",
      home_url: url("/"),
      sign_in_url: url(settings.signInPath),
      sign_up_url: url(settings.signUpPath),
      user_profile_url: url("/user"),
      after_sign_in_url: url("/"),
      after_sign_up_url: url("/"),
      after_sign_out_one_url: url("/"),
      after_sign_out_all_url: url("/"),
      after_switch_session_url: url("/"),
      organization_profile_url: url("/organization"),
      create_organization_url: url("/create-organization"),
      after_leave_organization_url: url("/"),
      after_create_organization_url: url("/"),
      support_email: "",
      terms_url: "",
      privacy_policy_url: "",
      waitlist_url: url("/waitlist"),
      after_join_waitlist_url: url("/"),
      show_devmode_warning: false,
      captcha_public_key: null,
      captcha_widget_type: null,
      captcha_public_key_invisible: null,
      captcha_provider: "turnstile",
      captcha_oauth_bypass: null,
      theme: {
        general: {
          color: "#6c47ff",
          background_color: "#ffffff",
          font_family: "",
          font_color: "#151515",
          label_font_weight: "600",
          padding: "1em",
          border_radius: "0.5em",
          box_shadow: "0 2px 8px rgba(0, 0, 0, 0.2)",
        },
        buttons: { font_color: "#ffffff", font_family: "", font_weight: "600" },
        accounts: { background_color: "#ffffff" },
      },
    },
    user_settings: userSettingsJSON(),
    organization_settings: settingsJSON<OrganizationSettingsJSON>({
      enabled: true,
      max_allowed_memberships: settings.maxMembershipsPerOrganization,
      force_organization_selection: false,
      actions: { admin_delete: true },
      domains: { enabled: false, enrollment_modes: [], default_role: null },
      slug: { disabled: false },
      organization_creation_defaults: { enabled: false },
    }),
    commerce_settings: {
      object: "commerce_settings",
      id: "commerce_settings_fake",
      billing: {
        stripe_publishable_key: null,
        organization: { enabled: false, has_paid_plans: false },
        user: { enabled: false, has_paid_plans: false },
      },
    },
    api_keys_settings: {
      object: "api_keys_settings",
      id: "api_keys_settings_fake",
      user_api_keys_enabled: false,
      orgs_api_keys_enabled: false,
    },
    protect_config: { object: "protect_config", id: "protect_config_fake" },
  };
}

function userSettingsJSON(): UserSettingsJSON {
  const off = {
    enabled: false,
    required: false,
    verifications: [],
    used_for_first_factor: false,
    first_factors: [],
    used_for_second_factor: false,
    second_factors: [],
    verify_at_sign_up: false,
  } satisfies UserSettingsJSON["attributes"]["email_address"];
  return settingsJSON<UserSettingsJSON>({
    attributes: {
      email_address: {
        ...off,
        enabled: true,
        required: true,
        verifications: ["email_code"],
        used_for_first_factor: true,
        first_factors: ["email_code"],
        verify_at_sign_up: true,
      },
      password: { ...off, enabled: true, required: true },
      first_name: off,
      last_name: off,
      phone_number: off,
      username: off,
      web3_wallet: off,
      authenticator_app: off,
      backup_code: off,
      passkey: off,
    },
    actions: { delete_self: false, create_organization: true },
    // Clerk lists only the providers an instance turns on; the type names every provider it knows.
    social: {} as UserSettingsJSON["social"],
    enterprise_sso: { enabled: false, self_serve_sso: false, self_serve_directory_sync: false },
    sign_in: { second_factor: { required: false, enabled: false } },
    sign_up: { allowlist_only: false, progressive: true, captcha_enabled: false, mode: "public", legal_consent_enabled: false },
    password_settings: {
      allowed_special_characters: "",
      disable_hibp: true,
      min_length: 8,
      max_length: 72,
      require_special_char: false,
      require_numbers: false,
      require_uppercase: false,
      require_lowercase: false,
      show_zxcvbn: false,
      min_zxcvbn_strength: 0,
    },
    passkey_settings: { allow_autofill: false, show_sign_in_button: false },
    username_settings: { min_length: 4, max_length: 64 },
    attack_protection: { enumeration_protection: { enabled: false } },
  });
}

/** The two settings types declare `id` and `object` as `never`: Clerk sends neither there. */
function settingsJSON<T extends { id: never; object: never }>(fields: Omit<T, "id" | "object">): T {
  return fields as T;
}

export function clientJSON(client: ClientRecord, view: InstanceView): ClientJSON {
  return {
    object: "client",
    id: client.id,
    sessions: client.sessions.filter((session) => session.status === "active").map((session) => sessionJSON(session, view)),
    sign_in: client.signIn && signInJSON(client.signIn, view),
    sign_up: client.signUp && signUpJSON(client.signUp),
    last_active_session_id: client.lastActiveSessionId,
    last_authentication_strategy: null,
    cookie_expires_at: null,
    created_at: client.createdAt,
    updated_at: client.updatedAt,
  };
}

export function sessionJSON(session: SessionRecord, view: InstanceView): SessionJSON {
  const user = view.user(session.userId);
  return {
    object: "session",
    id: session.id,
    status: session.status,
    factor_verification_age: [0, -1],
    expire_at: session.expireAt,
    abandon_at: session.abandonAt,
    last_active_at: session.lastActiveAt,
    last_active_token: tokenJSON(session.lastActiveToken),
    last_active_organization_id: session.activeOrganizationId,
    actor: null,
    tasks: null,
    user: userJSON(user, view),
    public_user_data: publicUserDataJSON(user),
    created_at: session.createdAt,
    updated_at: session.updatedAt,
  };
}

export function tokenJSON(jwt: string): TokenJSON {
  return { object: "token", id: "", jwt };
}

export function userJSON(user: UserRecord, view: InstanceView): UserJSON {
  return {
    object: "user",
    id: user.id,
    external_id: null,
    primary_email_address_id: user.emailAddressId,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    image_url: "",
    has_image: false,
    username: null,
    email_addresses: [emailAddressJSON(user)],
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    enterprise_accounts: [],
    passkeys: [],
    organization_memberships: view.membershipsOf(user.id).map((membership) => membershipJSON(membership, view)),
    password_enabled: user.password !== null,
    profile_image_id: "",
    first_name: user.firstName,
    last_name: user.lastName,
    totp_enabled: false,
    backup_code_enabled: false,
    two_factor_enabled: false,
    public_metadata: {},
    unsafe_metadata: {},
    last_sign_in_at: user.lastSignInAt,
    create_organization_enabled: true,
    create_organizations_limit: null,
    delete_self_enabled: false,
    legal_accepted_at: null,
    timezone: null,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
}

function emailAddressJSON(user: UserRecord): EmailAddressJSON {
  return {
    object: "email_address",
    id: user.emailAddressId,
    email_address: user.email,
    verification: verifiedJSON("email_code"),
    linked_to: [],
    matches_sso_connection: false,
  };
}

export function publicUserDataJSON(user: UserRecord): PublicUserDataJSON {
  return {
    user_id: user.id,
    identifier: user.email,
    first_name: user.firstName,
    last_name: user.lastName,
    image_url: "",
    has_image: false,
  };
}

export function organizationJSON(organization: OrganizationRecord, view: InstanceView): OrganizationJSON {
  return {
    object: "organization",
    id: organization.id,
    name: organization.name,
    slug: organization.slug,
    image_url: "",
    has_image: false,
    public_metadata: {},
    members_count: view.membersOf(organization.id).length,
    pending_invitations_count: 0,
    admin_delete_enabled: true,
    max_allowed_memberships: 0,
    created_at: organization.createdAt,
    updated_at: organization.updatedAt,
  };
}

export function membershipJSON(membership: MembershipRecord, view: InstanceView): OrganizationMembershipJSON {
  const role = view.role(membership.role);
  return {
    object: "organization_membership",
    id: membership.id,
    organization: organizationJSON(view.organization(membership.organizationId), view),
    permissions: [...role.permissions],
    public_metadata: {},
    public_user_data: publicUserDataJSON(view.user(membership.userId)),
    role: role.key,
    role_name: role.name,
    created_at: membership.createdAt,
    updated_at: membership.updatedAt,
  };
}

export function signInJSON(signIn: SignInRecord, view: InstanceView): SignInJSON {
  const user = view.user(signIn.userId);
  return {
    object: "sign_in",
    id: signIn.id,
    status: signIn.status,
    supported_identifiers: ["email_address"],
    identifier: signIn.identifier,
    user_data: { first_name: user.firstName ?? undefined, last_name: user.lastName ?? undefined, image_url: "", has_image: false },
    supported_first_factors: [
      { strategy: "password" },
      { strategy: "email_code", email_address_id: user.emailAddressId, safe_identifier: user.email, primary: true },
    ],
    supported_second_factors: [],
    first_factor_verification: signIn.firstFactorVerification && {
      ...verifiedJSON(signIn.firstFactorVerification.strategy),
      attempts: signIn.firstFactorVerification.attempts,
    },
    second_factor_verification: null,
    created_session_id: signIn.createdSessionId,
    timezone: null,
  };
}

export function signUpJSON(signUp: SignUpRecord): SignUpJSON {
  const emailVerified = signUp.emailVerification?.status === "verified";
  const missing = [...(signUp.emailAddress ? [] : ["email_address" as const]), ...(signUp.password ? [] : ["password" as const])];
  return {
    object: "sign_up",
    id: signUp.id,
    status: signUp.status,
    required_fields: ["email_address", "password"],
    optional_fields: [],
    missing_fields: missing,
    unverified_fields: signUp.emailAddress && !emailVerified ? ["email_address"] : [],
    username: null,
    first_name: signUp.firstName,
    last_name: signUp.lastName,
    email_address: signUp.emailAddress,
    phone_number: null,
    web3_wallet: null,
    external_account_strategy: null,
    external_account: null,
    has_password: signUp.password !== null,
    unsafe_metadata: {},
    created_session_id: signUp.createdSessionId,
    created_user_id: signUp.createdUserId,
    abandon_at: signUp.createdAt + 24 * 3600_000,
    legal_accepted_at: null,
    locale: null,
    timezone: null,
    verifications: {
      email_address: emailVerificationJSON(signUp.emailVerification),
      phone_number: notStartedVerificationJSON(),
      web3_wallet: notStartedVerificationJSON(),
      external_account: notStartedVerificationJSON(),
    },
  };
}

function emailVerificationJSON(verification: CodeVerificationRecord | null): SignUpVerificationJSON {
  if (!verification) return notStartedVerificationJSON();
  return {
    ...notStartedVerificationJSON(),
    status: verification.status,
    strategy: verification.strategy,
    attempts: verification.attempts,
    expire_at: verification.expireAt,
    next_action: verification.status === "verified" ? "" : "needs_attempt",
    supported_strategies: ["email_code"],
  };
}

// Clerk sends `error: null` on verifications that have none; the type declares it non-null.
const NO_ERROR = null as unknown as ClerkAPIErrorJSON;

function notStartedVerificationJSON(): SignUpVerificationJSON {
  return {
    object: "verification",
    id: "",
    status: "unverified",
    strategy: "",
    attempts: 0,
    expire_at: 0,
    verified_at_client: "",
    error: NO_ERROR,
    next_action: "",
    supported_strategies: [],
  };
}

function verifiedJSON(strategy: string): VerificationJSON {
  return {
    object: "verification",
    id: "",
    status: "verified",
    strategy,
    attempts: 1,
    expire_at: 0,
    verified_at_client: "",
    error: NO_ERROR,
  };
}

/** Clerk's error body: `{"errors": [{code, message, long_message, meta}]}` with a 4xx status. */
export type ErrorBody = { errors: ClerkAPIErrorJSON[] };

export function errorJSON(code: string, message: string, longMessage: string, paramName?: string): ErrorBody {
  return { errors: [{ code, message, long_message: longMessage, ...(paramName && { meta: { param_name: paramName } }) }] };
}
