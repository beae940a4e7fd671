import Link from "next/link";
import { Show, SignInButton, SignUpButton } from "@clerk/nextjs";

import { APP_NAME } from "@/lib/app-name";

const FEATURES = [
  { title: "Sign-in by Clerk", body: "Email, social and passwordless sign-in, organizations and roles, without writing auth." },
  { title: "Your data, in sync", body: "Users, organizations and memberships arrive by signed webhooks and land in your own database." },
  { title: "An admin from day one", body: "Operators see every user, organization and webhook delivery in the Django admin." },
];

export default function LandingPage() {
  return (
    <div className="space-y-12">
      <section className="rounded-2xl bg-white px-6 py-12 shadow-sm ring-1 ring-slate-200 sm:px-12">
        <p className="text-sm font-semibold uppercase tracking-wide text-brand-600">{APP_NAME}</p>
        <h1 className="mt-3 max-w-2xl text-3xl font-bold tracking-tight sm:text-5xl" data-testid="landing-title">
          Ship your SaaS, not your sign-in page.
        </h1>
        <p className="mt-4 max-w-2xl text-lg text-slate-600">
          Sign in, create an organization, invite your team. Everything you do here is verified and stored by the
          backend the moment it happens.
        </p>
        <div className="mt-8 flex flex-wrap gap-3">
          <Show when="signed-out">
            <SignUpButton>
              <button className="rounded-lg bg-brand-600 px-5 py-3 font-semibold text-white hover:bg-brand-700" data-testid="hero-sign-up">
                Create your account
              </button>
            </SignUpButton>
            <SignInButton>
              <button className="rounded-lg px-5 py-3 font-semibold text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50" data-testid="hero-sign-in">
                I already have an account
              </button>
            </SignInButton>
          </Show>
          <Show when="signed-in">
            <Link href="/dashboard" className="rounded-lg bg-brand-600 px-5 py-3 font-semibold text-white hover:bg-brand-700" data-testid="hero-dashboard">
              Go to your dashboard
            </Link>
          </Show>
        </div>
      </section>
      <section className="grid gap-4 sm:grid-cols-3">
        {FEATURES.map((feature) => (
          <div key={feature.title} className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
            <h2 className="font-semibold">{feature.title}</h2>
            <p className="mt-2 text-sm text-slate-600">{feature.body}</p>
          </div>
        ))}
      </section>
    </div>
  );
}
