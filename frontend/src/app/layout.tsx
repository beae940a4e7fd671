import type { Metadata, Viewport } from "next";
import { ClerkProvider } from "@clerk/nextjs";

import { SiteHeader } from "@/components/site-header";
import { APP_NAME } from "@/lib/app-name";

import "./globals.css";

export const metadata: Metadata = {
  title: { default: APP_NAME, template: `%s · ${APP_NAME}` },
  description: "A SaaS starter: Next.js and Clerk in front, FastAPI and Django behind.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: Readonly<{ children: React.ReactNode }>) {
  return (
    <ClerkProvider>
      <html lang="en">
        <body className="min-h-screen font-sans">
          <SiteHeader />
          <main className="mx-auto w-full max-w-5xl px-4 py-8 sm:px-6 sm:py-12">{children}</main>
        </body>
      </html>
    </ClerkProvider>
  );
}
