import type { ComponentProps } from "react";

import { classNames } from "@/lib/class-names";

const TONES = {
  info: "bg-brand-50 text-brand-700 ring-brand-100",
  error: "bg-red-50 text-red-900 ring-red-200",
} as const;

const PADDINGS = { md: "p-4", lg: "p-8" } as const;

type NoticeProps = ComponentProps<"div"> & { tone: keyof typeof TONES; padding?: keyof typeof PADDINGS };

/** A message about the state of the page; errors are announced at once (role="alert"), the rest politely. */
export function Notice({ tone, padding = "md", className, ...props }: NoticeProps) {
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={classNames("rounded-xl ring-1", TONES[tone], PADDINGS[padding], className)}
      {...props}
    />
  );
}
