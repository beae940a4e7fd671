import type { ComponentProps } from "react";

import { classNames } from "@/lib/class-names";

const PADDINGS = {
  md: "p-6",
  lg: "px-6 py-12 sm:px-12",
} as const;

const LOOKS = {
  /** White on the page's grey: the default container of content. */
  raised: "bg-white shadow-sm ring-1 ring-slate-200",
  /** A dashed outline: a secondary area, such as a live preview. */
  dashed: "border border-dashed border-slate-300",
} as const;

type CardProps = ComponentProps<"section"> & { padding?: keyof typeof PADDINGS; look?: keyof typeof LOOKS };

/** A `<section>` of content in a rounded box; every other prop goes to the element. */
export function Card({ padding = "md", look = "raised", className, ...props }: CardProps) {
  return <section className={classNames("rounded-xl", LOOKS[look], PADDINGS[padding], className)} {...props} />;
}

/** The small upper-case heading at the top of a card. */
export function CardHeading({ className, ...props }: ComponentProps<"h2">) {
  return <h2 className={classNames("text-sm font-semibold uppercase tracking-wide text-slate-500", className)} {...props} />;
}
