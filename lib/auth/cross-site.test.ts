import { describe, expect, it } from "vitest";
import { crossSiteRefusal } from "./cross-site";

const req = (method: string, path: string, headers: Record<string, string> = {}) => new Request(`http://127.0.0.1:3000${path}`, { method, headers: { host: "127.0.0.1:3000", ...headers } });

describe("cross-site writes to the API", () => {
  it("refuses a write whose Origin is another site, or that the browser marks cross-site", () => {
    expect(crossSiteRefusal(req("POST", "/api/v1/channels", { origin: "https://evil.example" }))).toMatch(/evil\.example/);
    expect(crossSiteRefusal(req("DELETE", "/api/v1/accounts/1", { origin: "http://127.0.0.1:3001" }))).not.toBeNull();
    expect(crossSiteRefusal(req("PATCH", "/api/v1/errors/1", { "sec-fetch-site": "cross-site" }))).not.toBeNull();
    expect(crossSiteRefusal(req("POST", "/api/auth/sign-in/email", { origin: "null" }))).not.toBeNull();
  });

  it("lets through reads, writes from Osprey's own pages, clients that are not browsers, and Firehose", () => {
    expect(crossSiteRefusal(req("GET", "/api/v1/channels", { origin: "https://evil.example" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", "/api/v1/channels", { origin: "http://127.0.0.1:3000", "sec-fetch-site": "same-origin" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", "/api/v1/channels"))).toBeNull();
    expect(crossSiteRefusal(req("POST", "/api/v1/ingest/firehose", { origin: "https://firehose.us-east-1.amazonaws.com", "sec-fetch-site": "cross-site" }))).toBeNull();
  });

  it("lets through an API token request from anywhere (no browser adds Authorization cross-site), but only under /api/v1", () => {
    const bearer = { authorization: "Bearer osp_00000000_x", origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    expect(crossSiteRefusal(req("POST", "/api/v1/incidents/1/acknowledge", bearer))).toBeNull();
    expect(crossSiteRefusal(req("DELETE", "/api/v1/channels/1", { ...bearer, authorization: "bearer" }))).toBeNull();
    expect(crossSiteRefusal(req("POST", "/api/auth/sign-out", bearer))).not.toBeNull();
    expect(crossSiteRefusal(req("POST", "/api/v1/channels", { ...bearer, authorization: "Basic dTpw" }))).not.toBeNull();
  });
});
