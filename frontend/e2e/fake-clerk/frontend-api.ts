// The Frontend API's HTTP surface: the endpoints Clerk's components call in the journeys
// tested, each answering with the status and JSON Clerk's answers with. Everything else is a
// 404 that the fake records, so a Clerk upgrade that starts calling something new is visible.
import type { ClientJSON } from "@clerk/shared/types";

import { FakeClerk, FrontendApiError } from "./instance";
import type { ClientRecord } from "./records";
import { clientJSON, environmentJSON, errorJSON, membershipJSON, sessionJSON, signInJSON, signUpJSON, tokenJSON } from "./resources";

export type FrontendApiRequest = {
  method: string;
  url: URL;
  /** The form-encoded body clerk-js sends. */
  form: URLSearchParams;
  /**
   * The request's `Origin`: a production instance accepts only its own domain, and it becomes
   * the `azp` of the tokens minted for the request. clerk-js's calls (cross-origin fetches)
   * always carry one.
   */
  origin: string | null;
};

export type FrontendApiResponse = { status: number; body: unknown };

type Handler = (clerk: FakeClerk, client: ClientRecord, params: string[], request: FrontendApiRequest) => Promise<unknown> | unknown;

/** `{response, client}`: what every call on the client answers, so clerk-js keeps its copy current. */
function envelope<T>(clerk: FakeClerk, client: ClientRecord, response: T): { response: T; client: ClientJSON } {
  return { response, client: clientJSON(client, clerk) };
}

const ROUTES: [method: string, path: RegExp, handler: Handler][] = [
  ["GET", /^\/v1\/environment$/, (clerk) => environmentJSON(clerk.settings)],
  // The browser's client (the fake keeps one per browser context from its first call).
  ["GET", /^\/v1\/client$/, (clerk, client) => ({ response: clientJSON(client, clerk), client: null })],

  ["POST", /^\/v1\/client\/sign_ins$/, async (clerk, client, _, { form, origin }) => {
    const signIn = await clerk.createSignIn(
      client,
      { identifier: form.get("identifier") ?? undefined, password: form.get("password") ?? undefined },
      origin,
    );
    return envelope(clerk, client, signInJSON(signIn, clerk));
  }],
  ["POST", /^\/v1\/client\/sign_ins\/([^/]+)\/attempt_first_factor$/, async (clerk, client, [id], { form, origin }) => {
    const signIn = await clerk.attemptFirstFactor(
      client,
      id,
      { strategy: form.get("strategy") ?? undefined, password: form.get("password") ?? undefined },
      origin,
    );
    return envelope(clerk, client, signInJSON(signIn, clerk));
  }],

  ["POST", /^\/v1\/client\/sign_ups$/, (clerk, client, _, { form }) =>
    envelope(clerk, client, signUpJSON(clerk.createOrUpdateSignUp(client, null, signUpFields(form)))),
  ],
  ["PATCH", /^\/v1\/client\/sign_ups\/([^/]+)$/, (clerk, client, [id], { form }) =>
    envelope(clerk, client, signUpJSON(clerk.createOrUpdateSignUp(client, id, signUpFields(form)))),
  ],
  ["POST", /^\/v1\/client\/sign_ups\/([^/]+)\/prepare_verification$/, (clerk, client, [id], { form }) =>
    envelope(clerk, client, signUpJSON(clerk.prepareEmailVerification(client, id, form.get("strategy") ?? undefined))),
  ],
  ["POST", /^\/v1\/client\/sign_ups\/([^/]+)\/attempt_verification$/, async (clerk, client, [id], { form, origin }) =>
    envelope(clerk, client, signUpJSON(await clerk.attemptEmailVerification(client, id, form.get("code") ?? undefined, origin))),
  ],

  ["POST", /^\/v1\/client\/sessions\/([^/]+)\/touch$/, async (clerk, client, [id], { form, origin }) => {
    const organization = form.get("active_organization_id");
    const session = await clerk.touchSession(client, id, { activeOrganizationId: organization === null ? undefined : organization }, origin);
    return envelope(clerk, client, sessionJSON(session, clerk));
  }],
  // Tokens come back bare, not in the envelope.
  ["POST", /^\/v1\/client\/sessions\/([^/]+)\/tokens$/, async (clerk, client, [id], { form, origin }) => {
    const organization = form.get("organization_id");
    return tokenJSON(await clerk.createSessionToken(client, id, organization === null ? undefined : organization, origin));
  }],
  // Signing out: the client without its sessions.
  ["DELETE", /^\/v1\/client\/sessions$/, (clerk, client) => {
    clerk.removeSessions(client);
    return envelope(clerk, client, clientJSON(client, clerk));
  }],

  ["GET", /^\/v1\/me\/organization_memberships$/, (clerk, client, _, { url }) => {
    const session = client.sessions.find((candidate) => candidate.id === client.lastActiveSessionId);
    const memberships = session ? clerk.membershipsOf(session.userId) : [];
    return envelope(clerk, client, page(memberships.map((membership) => membershipJSON(membership, clerk)), url));
  }],
  // No invitations or suggestions exist in the fake: an empty page, as Clerk answers then.
  ["GET", /^\/v1\/me\/organization_invitations$/, (clerk, client, _, { url }) => envelope(clerk, client, page([], url))],
  ["GET", /^\/v1\/me\/organization_suggestions$/, (clerk, client, _, { url }) => envelope(clerk, client, page([], url))],
];

/** Answers one Frontend API request for the browser whose client is `client`. */
export async function answerFrontendApi(clerk: FakeClerk, client: ClientRecord, request: FrontendApiRequest): Promise<FrontendApiResponse | null> {
  if (request.origin && !isOnDomain(new URL(request.origin).hostname, clerk.appDomain)) {
    return {
      status: 400,
      body: errorJSON(
        "origin_invalid",
        "Invalid request origin",
        "The Request HTTP Origin header must be equal to or a subdomain of the requesting URL.",
      ),
    };
  }
  // clerk-js tunnels PATCH and DELETE through POST with `_method`.
  const method = (request.url.searchParams.get("_method") ?? request.method).toUpperCase();
  for (const [routeMethod, path, handler] of ROUTES) {
    const match = routeMethod === method ? path.exec(request.url.pathname) : null;
    if (!match) continue;
    try {
      return { status: 200, body: await handler(clerk, client, match.slice(1), request) };
    } catch (error) {
      if (error instanceof FrontendApiError) return { status: error.status, body: error.body };
      return { status: 500, body: errorJSON("internal_clerk_error", "Oops, an unexpected error occurred", String(error)) };
    }
  }
  return null;
}

export const NOT_FOUND: FrontendApiResponse = {
  status: 404,
  body: errorJSON("resource_not_found", "not found", "The fake Clerk does not answer this endpoint."),
};

export function isOnDomain(hostname: string, domain: string): boolean {
  return hostname === domain || hostname.endsWith(`.${domain}`);
}

function signUpFields(form: URLSearchParams) {
  const field = (name: string) => form.get(name) ?? undefined;
  return {
    email_address: field("email_address"),
    password: field("password"),
    first_name: field("first_name"),
    last_name: field("last_name"),
  };
}

/** Clerk's paginated lists: `{data, total_count}`, sliced by `limit` and `offset`. */
function page<T>(items: T[], url: URL): { data: T[]; total_count: number } {
  const offset = Number(url.searchParams.get("offset") ?? 0);
  const limit = Number(url.searchParams.get("limit") ?? 10);
  return { data: items.slice(offset, offset + limit), total_count: items.length };
}
