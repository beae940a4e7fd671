"use client";

import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export default function ErrorPage({ reset }: { error: Error; reset: () => void }) {
  return (
    <Notice tone="error" padding="lg" data-testid="state-error-boundary">
      <h1 className="text-xl font-semibold">Something went wrong on our side.</h1>
      <p className="mt-2">Please try again. If it keeps happening, contact support.</p>
      <Button variant="danger" onClick={reset} className="mt-4">
        Try again
      </Button>
    </Notice>
  );
}
