// A stand-in for the backend's HTTP answers in unit tests of the API calls: it answers every
// request the same way and keeps the requests, to show what was sent.

/** Answers `status` with `body`: JSON, or a string as is (a proxy's page), or nothing when undefined. */
export function backendAnswering(status: number, body?: unknown) {
  const requests: Request[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    requests.push(input instanceof Request ? input : new Request(input, init));
    const text = body === undefined ? null : typeof body === "string" ? body : JSON.stringify(body);
    return new Response(text, { status });
  };
  return { requests, fetchImpl };
}

/** The error body of every refusal: `{detail, code}`. */
export function backendRefusing(status: number, code: string, detail = "a sentence for people") {
  return backendAnswering(status, { detail, code });
}

/** What a request carried, for comparing in a test. */
export async function readRequest(request: Request) {
  const body = await request.clone().text();
  return {
    method: request.method,
    url: request.url,
    auth: request.headers.get("Authorization"),
    contentType: request.headers.get("Content-Type"),
    body: body ? JSON.parse(body) : undefined,
  };
}
