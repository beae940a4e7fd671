import Link from "next/link";
import type { ComponentProps } from "react";

import { classNames } from "@/lib/class-names";

const VARIANTS = {
  /** The one thing the page wants you to do. */
  primary: "bg-brand-600 text-white hover:bg-brand-700",
  /** An alternative beside a primary button. */
  secondary: "text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50",
  /** Navigation-like actions in a header or a toolbar. */
  ghost: "text-slate-700 hover:bg-slate-100",
  /** An action inside a section, such as a refresh. */
  neutral: "bg-slate-900 text-white hover:bg-slate-700",
  /** Recovering from an error. */
  danger: "bg-red-700 text-white hover:bg-red-800",
} as const;

const SIZES = {
  sm: "rounded-md px-3 py-2 text-sm font-medium",
  md: "rounded-lg px-4 py-2 text-sm font-semibold",
  lg: "rounded-lg px-5 py-3 font-semibold",
} as const;

export type ButtonStyle = { variant?: keyof typeof VARIANTS; size?: keyof typeof SIZES };

/** The classes of a button, for the rare element that is neither `Button` nor `ButtonLink`. */
export function buttonClassName({ variant = "primary", size = "md" }: ButtonStyle = {}, className?: string): string {
  return classNames(
    "inline-flex items-center justify-center gap-2 transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed disabled:opacity-50",
    SIZES[size],
    VARIANTS[variant],
    className,
  );
}

/** A `<button>` (type="button" unless told otherwise); every other prop goes to the element. */
export function Button({ variant, size, className, type = "button", ...props }: ComponentProps<"button"> & ButtonStyle) {
  return <button type={type} className={buttonClassName({ variant, size }, className)} {...props} />;
}

/** A link that looks like a button: navigation, so a `Link`, never a `<button>` with a router push. */
export function ButtonLink({ variant, size, className, ...props }: ComponentProps<typeof Link> & ButtonStyle) {
  return <Link className={buttonClassName({ variant, size }, className)} {...props} />;
}
