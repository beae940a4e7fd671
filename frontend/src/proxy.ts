import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";

const isProtectedRoute = createRouteMatcher(["/dashboard(.*)"]);

function authorizedParties(): string[] | undefined {
  const parties = (process.env.CLERK_AUTHORIZED_PARTIES ?? "")
    .split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  return parties.length > 0 ? parties : undefined;
}

// @clerk/nextjs does not read CLERK_JWT_KEY by itself: without `jwtKey` it fetches the
// signing keys from Clerk's API on every cold start.
export default clerkMiddleware(
  async (auth, request) => {
    if (isProtectedRoute(request)) {
      await auth.protect();
    }
  },
  () => ({
    ...(process.env.CLERK_JWT_KEY ? { jwtKey: process.env.CLERK_JWT_KEY } : {}),
    ...(authorizedParties() ? { authorizedParties: authorizedParties() } : {}),
  }),
);

export const config = {
  matcher: [
    // Everything but Next.js internals and static files.
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
  ],
};
