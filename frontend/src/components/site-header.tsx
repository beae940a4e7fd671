import Link from "next/link";
import { Show, SignInButton, SignUpButton, UserButton } from "@clerk/nextjs";

import { Button, ButtonLink } from "@/components/ui/button";
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
              <Button variant="ghost" size="sm" data-testid="sign-in-button">
                Sign in
              </Button>
            </SignInButton>
            <SignUpButton>
              <Button size="sm" data-testid="sign-up-button">
                Sign up
              </Button>
            </SignUpButton>
          </Show>
          <Show when="signed-in">
            <ButtonLink href="/dashboard" variant="ghost" size="sm" data-testid="dashboard-link">
              Dashboard
            </ButtonLink>
            <div className="grid h-9 w-9 place-items-center" data-testid="user-button">
              <UserButton />
            </div>
          </Show>
        </nav>
      </div>
    </header>
  );
}
