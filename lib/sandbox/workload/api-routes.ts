// The routes of the sandbox's APIs and the authorization of each, as GetResources?embed=methods (REST) and
// GetRoutes (HTTP) serve them. shop-api and webhooks-api authorize every route but a CORS preflight and a
// health check; shop-api-eu's POST /orders was left without an authorizer, so the SEC 1 check has one to find.

export interface ApiRouteSpec {
  method: string;
  path: string;
  /** NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS (REST); NONE, AWS_IAM, CUSTOM, JWT (HTTP) */
  auth: string;
}

const ROUTES: Record<string, ApiRouteSpec[]> = {
  // shop-api (REST)
  a1b2c3d4e5: [
    { method: "GET", path: "/orders", auth: "COGNITO_USER_POOLS" },
    { method: "POST", path: "/orders", auth: "COGNITO_USER_POOLS" },
    { method: "OPTIONS", path: "/orders", auth: "NONE" },
    { method: "GET", path: "/orders/{id}", auth: "CUSTOM" },
    { method: "GET", path: "/health", auth: "NONE" },
  ],
  // webhooks-api (HTTP): a Lambda authorizer checks each provider's signature.
  w9x8y7z6v5: [
    { method: "POST", path: "/webhooks/{provider}", auth: "CUSTOM" },
    { method: "OPTIONS", path: "/{proxy+}", auth: "NONE" },
    { method: "GET", path: "/health", auth: "NONE" },
  ],
  // shop-api-eu (REST)
  e5u4r3o2p1: [
    { method: "GET", path: "/orders", auth: "COGNITO_USER_POOLS" },
    { method: "POST", path: "/orders", auth: "NONE" },
    { method: "OPTIONS", path: "/orders", auth: "NONE" },
  ],
};

/** The routes of an API; an API not listed here has one authorized catch-all route. */
export function apiRoutes(apiId: string): ApiRouteSpec[] {
  return ROUTES[apiId] ?? [{ method: "ANY", path: "/{proxy+}", auth: "AWS_IAM" }];
}

/** The resources of a REST API: each path with its parent and its methods. */
export function restResources(apiId: string): { id: string; parentId?: string; path: string; pathPart?: string; methods: ApiRouteSpec[] }[] {
  const routes = apiRoutes(apiId);
  const paths = new Set<string>(["/"]);
  for (const r of routes) {
    const parts = r.path.split("/").filter(Boolean);
    parts.forEach((_, i) => paths.add(`/${parts.slice(0, i + 1).join("/")}`));
  }
  const idOf = (path: string) => (path === "/" ? `${apiId.slice(0, 4)}r00t` : `${apiId.slice(0, 3)}${[...path].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7).toString(36).slice(0, 6)}`);
  return [...paths].sort().map((path) => {
    const parent = path === "/" ? undefined : path.slice(0, path.lastIndexOf("/")) || "/";
    return {
      id: idOf(path),
      ...(parent ? { parentId: idOf(parent), pathPart: path.slice(path.lastIndexOf("/") + 1) } : {}),
      path,
      methods: routes.filter((r) => r.path === path),
    };
  });
}
