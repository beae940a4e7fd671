import { classNames } from "@/lib/class-names";

/** A grey placeholder while content loads; give it a size (`h-4 w-40`). Hidden from screen readers. */
export function Skeleton({ className }: { className?: string }) {
  return <div aria-hidden className={classNames("animate-pulse rounded-md bg-slate-200", className)} />;
}
