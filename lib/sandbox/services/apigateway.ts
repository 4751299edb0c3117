import { restJson } from "../protocols/rest-json";
import { matchPath } from "../protocols/rest-json";
import { AwsError } from "../protocols/types";
import { apiRoutes, restResources } from "../workload/api-routes";
import { ACCOUNT_ID, type ApiSpec } from "../workload/catalog";
import { decodeToken, encodeToken, num, page, type Route, type Service } from "./service";

const badToken = () => new AwsError("BadRequestException", "Invalid pagination token", 400);
const notFound = () => new AwsError("NotFoundException", "Invalid API identifier specified", 404);

function restApi(a: ApiSpec) {
  return {
    id: a.id, name: a.name, description: `${a.name} (sandbox)`, createdDate: a.createdAt / 1000, version: "1.0",
    apiKeySource: "HEADER", endpointConfiguration: { types: ["REGIONAL"] }, disableExecuteApiEndpoint: false,
    rootResourceId: `${a.id.slice(0, 4)}r00t`, tags: { team: "shop" },
  };
}

function httpApi(a: ApiSpec) {
  return {
    apiId: a.id, name: a.name, protocolType: "HTTP", apiEndpoint: `https://${a.id}.execute-api.${a.region}.amazonaws.com`,
    createdDate: new Date(a.createdAt).toISOString(), routeSelectionExpression: "$request.method $request.path",
    apiKeySelectionExpression: "$request.header.x-api-key", disableExecuteApiEndpoint: false, tags: {},
  };
}

/** API Gateway REST (v1, /restapis) and HTTP APIs (v2, /v2/apis): both sign as "apigateway". */
export const apigatewayService: Service = {
  signingName: "apigateway",
  protocol: restJson,
  throttleError: () => new AwsError("TooManyRequestsException", "Too Many Requests", 429),
  internalError: () => new AwsError("InternalFailure", "Internal server error", 500, "Receiver"),
  recognises: (req) => req.path.startsWith("/restapis") || req.path.startsWith("/v2/apis"),
  route(req, ctx): Route | undefined {
    if (req.method !== "GET") return undefined;
    const apis = ctx.workload.listApis(req.region);
    const path = req.path.replace(/\/$/, "");
    if (path === "/restapis") {
      return {
        operation: "GetRestApis",
        run: () => {
          const position = req.query.get("position");
          const p = page(apis.filter((a) => a.kind === "REST"), position ? decodeToken<{ o: number }>(position, badToken).o : 0, Math.min(num(req.query.get("limit")) ?? 25, 500));
          return { item: p.items.map(restApi), position: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
        },
      };
    }
    let m = matchPath("/restapis/{restApiId}/stages", path);
    if (m) {
      const id = m.restApiId;
      return {
        operation: "GetStages",
        run: () => {
          const a = apis.find((x) => x.kind === "REST" && x.id === id);
          if (!a) throw notFound();
          const methodSettings = a.throttleRate
            ? { "*/*": { metricsEnabled: false, throttlingRateLimit: a.throttleRate, throttlingBurstLimit: a.throttleRate * 2, cachingEnabled: false } }
            : {};
          const accessLogSettings = a.accessLogs
            ? { destinationArn: `arn:aws:logs:${a.region}:${ACCOUNT_ID}:log-group:/aws/apigateway/${a.name}`, format: '{"requestId":"$context.requestId","status":"$context.status"}' }
            : undefined;
          return { item: [{ stageName: a.stage, deploymentId: "dep1a2", tracingEnabled: a.tracing !== false, createdDate: a.createdAt / 1000, lastUpdatedDate: a.createdAt / 1000, methodSettings, accessLogSettings }] };
        },
      };
    }
    m = matchPath("/restapis/{restApiId}/resources", path);
    if (m) {
      const id = m.restApiId;
      return {
        operation: "GetResources",
        run: () => {
          if (!apis.some((x) => x.kind === "REST" && x.id === id)) throw notFound();
          // Methods come embedded only when asked for (embed=methods); otherwise only their names are listed.
          const embed = req.query.getAll("embed").flatMap((e) => e.split(",")).includes("methods");
          const position = req.query.get("position");
          const p = page(restResources(id), position ? decodeToken<{ o: number }>(position, badToken).o : 0, Math.min(num(req.query.get("limit")) ?? 25, 500));
          return {
            item: p.items.map(({ methods, ...r }) => ({
              ...r,
              ...(methods.length
                ? {
                    resourceMethods: Object.fromEntries(
                      methods.map((x) => [x.method, embed ? { httpMethod: x.method, authorizationType: x.auth, apiKeyRequired: false, ...(x.auth === "CUSTOM" || x.auth === "COGNITO_USER_POOLS" ? { authorizerId: "auth01" } : {}) } : {}]),
                    ),
                  }
                : {}),
            })),
            position: p.next !== undefined ? encodeToken({ o: p.next }) : undefined,
          };
        },
      };
    }
    if (path === "/v2/apis") {
      return {
        operation: "GetApis",
        run: () => {
          const token = req.query.get("nextToken");
          const p = page(apis.filter((a) => a.kind === "HTTP"), token ? decodeToken<{ o: number }>(token, badToken).o : 0, Math.min(num(req.query.get("maxResults")) ?? 25, 500));
          return { items: p.items.map(httpApi), nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
        },
      };
    }
    m = matchPath("/v2/apis/{ApiId}/stages", path);
    if (m) {
      const id = m.ApiId;
      return {
        operation: "GetStages",
        run: () => {
          const a = apis.find((x) => x.kind === "HTTP" && x.id === id);
          if (!a) throw notFound();
          return { items: [{ stageName: a.stage, autoDeploy: true, createdDate: new Date(a.createdAt).toISOString(), lastUpdatedDate: new Date(a.createdAt).toISOString(), defaultRouteSettings: { detailedMetricsEnabled: false, ...(a.throttleRate ? { throttlingRateLimit: a.throttleRate, throttlingBurstLimit: a.throttleRate * 2 } : {}) } }] };
        },
      };
    }
    m = matchPath("/v2/apis/{ApiId}/routes", path);
    if (m) {
      const id = m.ApiId;
      return {
        operation: "GetRoutes",
        run: () => {
          if (!apis.some((x) => x.kind === "HTTP" && x.id === id)) throw notFound();
          const token = req.query.get("nextToken");
          const routes = apiRoutes(id).map((r, i) => ({
            routeId: `${id.slice(0, 3)}rt${i}`,
            routeKey: `${r.method} ${r.path}`,
            authorizationType: r.auth,
            ...(r.auth === "CUSTOM" || r.auth === "JWT" ? { authorizerId: "auth01" } : {}),
            apiKeyRequired: false,
            target: "integrations/int01",
          }));
          const p = page(routes, token ? decodeToken<{ o: number }>(token, badToken).o : 0, Math.min(num(req.query.get("maxResults")) ?? 25, 500));
          return { items: p.items, nextToken: p.next !== undefined ? encodeToken({ o: p.next }) : undefined };
        },
      };
    }
    return undefined;
  },
};
