"use client";

import { usePathname } from "next/navigation";

import { ButtonLink } from "@/components/ui/button";

const SECTIONS = [
  { href: "/dashboard", label: "Overview", isCurrent: (path: string) => path === "/dashboard" },
  { href: "/dashboard/projects", label: "Projects", isCurrent: (path: string) => path.startsWith("/dashboard/projects") },
];

export function DashboardNav() {
  const path = usePathname();
  return (
    <nav aria-label="Dashboard" className="flex gap-2 border-b border-slate-200 pb-3" data-testid="dashboard-nav">
      {SECTIONS.map((section) => {
        const current = section.isCurrent(path);
        return (
          <ButtonLink
            key={section.href}
            href={section.href}
            variant={current ? "secondary" : "ghost"}
            size="sm"
            aria-current={current ? "page" : undefined}
            data-testid={`nav-${section.label.toLowerCase()}`}
          >
            {section.label}
          </ButtonLink>
        );
      })}
    </nav>
  );
}
