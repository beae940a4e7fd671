import { clerkMiddleware } from "@clerk/nextjs/server";

import { clerkVerificationOptions } from "@/lib/clerk-middleware-options";

// Clerk's middleware only reads the session here: each page, layout and Server Action protects
// itself with `auth.protect()` (createRouteMatcher is deprecated since @clerk/nextjs 7.5.14).
export default clerkMiddleware(clerkVerificationOptions());

export const config = {
  matcher: [
    // Everything but Next.js internals and static files.
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
  ],
};
