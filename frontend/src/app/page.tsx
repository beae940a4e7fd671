import { Show, SignInButton, SignUpButton } from "@clerk/nextjs";

import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { APP_NAME } from "@/lib/app-name";

const FEATURES = [
  { title: "Sign-in by Clerk", body: "Email, social and passwordless sign-in, organizations and roles, without writing auth." },
  { title: "Your data, in sync", body: "Users, organizations and memberships arrive by signed webhooks and land in your own database." },
  { title: "An admin from day one", body: "Operators see every user, organization and webhook delivery in the Django admin." },
];

export default function LandingPage() {
  return (
    <div className="space-y-12">
      <Card padding="lg">
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
              <Button size="lg" data-testid="hero-sign-up">
                Create your account
              </Button>
            </SignUpButton>
            <SignInButton>
              <Button variant="secondary" size="lg" data-testid="hero-sign-in">
                I already have an account
              </Button>
            </SignInButton>
          </Show>
          <Show when="signed-in">
            <ButtonLink href="/dashboard" size="lg" data-testid="hero-dashboard">
              Go to your dashboard
            </ButtonLink>
          </Show>
        </div>
      </Card>
      <div className="grid gap-4 sm:grid-cols-3">
        {FEATURES.map((feature) => (
          <Card key={feature.title}>
            <h2 className="font-semibold">{feature.title}</h2>
            <p className="mt-2 text-sm text-slate-600">{feature.body}</p>
          </Card>
        ))}
      </div>
    </div>
  );
}
