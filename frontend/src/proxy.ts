import { clerkMiddleware } from "@clerk/nextjs/server";

import { clerkMiddlewareOptions } from "@/lib/clerk-middleware-options";

// Read from the environment once; whether `authorizedParties` applies depends on the session
// token each request carries (see clerkMiddlewareOptions).
const optionsFor = clerkMiddlewareOptions();

// Clerk's middleware only reads the session here, so its handler does nothing: each page,
// layout and Server Action protects itself with `auth.protect()` (createRouteMatcher is
// deprecated since @clerk/nextjs 7.5.14). The handler is what lets options vary per request.
export default clerkMiddleware(() => undefined, optionsFor);

export const config = {
  matcher: [
    // Everything but Next.js internals and static files.
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
  ],
};
