import type { Metadata } from "next";
import { SignUp } from "@clerk/nextjs";

export const metadata: Metadata = { title: "Sign up" };

export default function SignUpPage() {
  return (
    <div className="flex flex-col items-center gap-6" data-testid="sign-up-page">
      <h1 className="text-2xl font-bold tracking-tight">Create your account</h1>
      <SignUp />
    </div>
  );
}
