export const NAV_ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/incidents", label: "Incidents" },
  { href: "/functions", label: "Functions" },
  { href: "/errors", label: "Errors" },
  { href: "/search", label: "Logs" },
  { href: "/insights", label: "Insights" },
  { href: "/review", label: "Review" },
  { href: "/alerts", label: "Alerts" },
  { href: "/cost", label: "Cost" },
  { href: "/settings", label: "Settings" },
] as const;
