"use client";

import { useFormStatus } from "react-dom";
import type { ComponentProps } from "react";

import { Button, type ButtonStyle } from "@/components/ui/button";

/** The submit button of a form whose action runs on the server: disabled, saying so, while it runs. */
export function SubmitButton({
  children,
  pendingLabel,
  disabled,
  ...props
}: Omit<ComponentProps<"button">, "type"> & ButtonStyle & { pendingLabel: string }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" disabled={pending || disabled} aria-disabled={pending || disabled} {...props}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
