import type { Metadata } from "next";
import { SignIn } from "@clerk/nextjs";

export const metadata: Metadata = { title: "Sign in" };

export default function SignInPage() {
  return (
    <div className="flex flex-col items-center gap-6" data-testid="sign-in-page">
      <h1 className="text-2xl font-bold tracking-tight">Sign in to your account</h1>
      <SignIn />
    </div>
  );
}
