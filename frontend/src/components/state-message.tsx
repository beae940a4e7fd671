import Link from "next/link";
import type { ComponentProps } from "react";

import { Notice } from "@/components/ui/notice";
import type { FailureView } from "@/lib/failure-view";

/** A failed call to the backend, said once for every page: an expired session gets a way back in. */
export function StateMessage({ state, ...props }: { state: FailureView } & Omit<ComponentProps<"div">, "children">) {
  return (
    <Notice tone={state.view === "session-expired" ? "info" : "error"} data-testid={`state-${state.view}`} {...props}>
      <p>{state.message}</p>
      {state.view === "session-expired" && (
        <Link href="/sign-in" className="mt-3 inline-block font-semibold text-brand-700 underline" data-testid="sign-in-again">
          Sign in again
        </Link>
      )}
    </Notice>
  );
}
