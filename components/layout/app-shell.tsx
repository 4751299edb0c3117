"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useState } from "react";
import { OpenIncidentsBadge } from "../incidents/open-incidents";
import { NAV_ITEMS } from "./nav-items";
import type { Viewer } from "../auth/viewer";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

function isActive(pathname: string, href: string): boolean {
  return href === "/" ? pathname === "/" : pathname === href || pathname.startsWith(`${href}/`);
}

function Brand() {
  return (
    <Link href="/" prefetch={false} className="flex items-center gap-2 px-2 text-lg font-semibold tracking-tight">
      <span aria-hidden className="inline-block h-6 w-6 rounded-md bg-gradient-to-br from-brand-500 to-sky-400" />
      Osprey
    </Link>
  );
}

export function AppShell({ viewer, children }: { viewer: Viewer; children: React.ReactNode }) {
  const pathname = usePathname();
  // Below md the sidebar is a drawer behind the menu button; it closes on navigation and on Escape.
  const [menuOpen, setMenuOpen] = useState(false);
  const [menuPath, setMenuPath] = useState(pathname);
  if (menuPath !== pathname) {
    setMenuPath(pathname);
    setMenuOpen(false);
  }
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setMenuOpen(false);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [menuOpen]);
  return (
    <div className="flex min-h-screen flex-col md:flex-row">
      <a
        href="#main"
        onClick={(e) => {
          // A fragment link only scrolls: move focus too, so the next Tab starts inside the page.
          e.preventDefault();
          document.getElementById("main")?.focus();
        }}
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900">
        Skip to content
      </a>
      <div className="sticky top-0 z-30 flex items-center gap-2 border-b border-zinc-200 bg-white px-3 py-2 md:hidden dark:border-zinc-800 dark:bg-zinc-900">
        <button
          type="button"
          className="btn px-2"
          aria-expanded={menuOpen}
          aria-controls="sidebar"
          onClick={() => setMenuOpen((o) => !o)}
          data-testid="menu-button"
        >
          <svg aria-hidden viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round">
            <path d="M3 5h14M3 10h14M3 15h14" />
          </svg>
          Menu
        </button>
        <Brand />
      </div>
      {menuOpen && <div aria-hidden className="fixed inset-0 z-40 bg-zinc-950/40 md:hidden" onClick={() => setMenuOpen(false)} />}
      <aside
        id="sidebar"
        className={`${menuOpen ? "fixed inset-y-0 left-0 z-50 flex shadow-xl" : "hidden"} h-screen w-64 shrink-0 flex-col overflow-y-auto border-r border-zinc-200 bg-white px-3 py-4 md:sticky md:top-0 md:flex md:w-56 md:shadow-none dark:border-zinc-800 dark:bg-zinc-900`}
      >
        <div className="mb-6">
          <Brand />
        </div>
        <nav aria-label="Main" className="flex flex-1 flex-col gap-0.5">
          {NAV_ITEMS.map((item) => {
            const active = isActive(pathname, item.href);
            return (
              <Link
                key={item.href}
                href={item.href}
                // Prefetching every page of the sidebar on load competes with the page's own API
                // requests on a small server; each page is a static shell that renders in one round trip.
                prefetch={false}
                aria-current={active ? "page" : undefined}
                className={`flex items-center rounded-md px-2 py-1.5 text-sm font-medium transition-colors ${
                  active
                    ? "bg-brand-50 text-brand-700 dark:bg-brand-500/15 dark:text-brand-100"
                    : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                }`}
              >
                {item.label}
                {item.href === "/incidents" && <OpenIncidentsBadge />}
              </Link>
            );
          })}
        </nav>
        <UserMenu viewer={viewer} />
        <ThemeToggle />
      </aside>
      <main id="main" tabIndex={-1} className="min-w-0 flex-1 px-4 py-4 focus:outline-none md:px-8 md:py-6">
        {children}
      </main>
    </div>
  );
}
