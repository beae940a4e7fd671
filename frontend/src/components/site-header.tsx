import Link from "next/link";
import { Show, SignInButton, SignUpButton, UserButton } from "@clerk/nextjs";

import { APP_NAME } from "@/lib/app-name";

export function SiteHeader() {
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex h-16 w-full max-w-5xl items-center justify-between gap-4 px-4 sm:px-6">
        <Link href="/" className="flex items-center gap-2 text-lg font-semibold tracking-tight" data-testid="app-name">
          <span aria-hidden className="grid h-8 w-8 place-items-center rounded-lg bg-brand-600 text-sm text-white">
            {APP_NAME.charAt(0)}
          </span>
          {APP_NAME}
        </Link>
        <nav className="flex items-center gap-3 text-sm">
          <Show when="signed-out">
            <SignInButton>
              <button className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100" data-testid="sign-in-button">
                Sign in
              </button>
            </SignInButton>
            <SignUpButton>
              <button className="rounded-md bg-brand-600 px-3 py-2 font-medium text-white hover:bg-brand-700" data-testid="sign-up-button">
                Sign up
              </button>
            </SignUpButton>
          </Show>
          <Show when="signed-in">
            <Link href="/dashboard" className="rounded-md px-3 py-2 font-medium text-slate-700 hover:bg-slate-100" data-testid="dashboard-link">
              Dashboard
            </Link>
            <div className="grid h-9 w-9 place-items-center" data-testid="user-button">
              <UserButton />
            </div>
          </Show>
        </nav>
      </div>
    </header>
  );
}
