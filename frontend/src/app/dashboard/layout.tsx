import { auth } from "@clerk/nextjs/server";

import { DashboardNav } from "./dashboard-nav";

export default async function DashboardLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  // Signed out: a redirect to the sign-in page, sent before anything streams. A layout is not
  // rendered again when the browser moves between its pages, so each page protects itself too.
  await auth.protect();
  return (
    <div className="space-y-8">
      <DashboardNav />
      {children}
    </div>
  );
}
