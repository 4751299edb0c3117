import { readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";

// There is no Docker engine here: the self-hosting promises are checked on the files themselves.
const ROOT = path.resolve(__dirname, "..");
const composeText = readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8");
const dockerfile = readFileSync(path.join(ROOT, "Dockerfile"), "utf8");

interface Service {
  image?: string;
  build?: unknown;
  user?: string;
  ports?: unknown[];
  expose?: unknown[];
  network_mode?: string;
  networks?: string[] | Record<string, unknown>;
  environment?: Record<string, string>;
  cap_drop?: string[];
}
const compose = load(composeText) as { services: Record<string, Service>; networks?: Record<string, { internal?: boolean } | null> };
const services = compose.services;
const networksOf = (s: Service) => (Array.isArray(s.networks) ? s.networks : Object.keys(s.networks ?? {}));
const ospreyServices = Object.entries(services).filter(([, s]) => s.build !== undefined || s.image?.startsWith("osprey"));

/** The USER of the Dockerfile's last stage, the image that runs. */
function runtimeUser(): string | undefined {
  const stages = dockerfile.split(/^FROM /m);
  return [...stages[stages.length - 1].matchAll(/^USER\s+(\S+)/gm)].pop()?.[1];
}

describe("docker-compose.yml", () => {
  it("publishes the web port and nothing else", () => {
    const published = Object.entries(services).filter(([, s]) => s.ports?.length || s.network_mode === "host");
    expect(published.map(([name]) => name)).toEqual(["web"]);
    expect(services.web.ports).toHaveLength(1);
    expect(String(services.web.ports![0])).toMatch(/:3000$/);
  });

  it("keeps Postgres on an internal network only, with no ports", () => {
    const pg = services.postgres;
    expect(pg.ports).toBeUndefined();
    expect(pg.expose).toBeUndefined();
    expect(networksOf(pg)).toEqual(["internal"]);
    expect(compose.networks?.internal?.internal).toBe(true);
    for (const [name, s] of ospreyServices) expect(networksOf(s), `${name} reaches Postgres`).toContain("internal");
    expect(networksOf(services.migrate)).toEqual(["internal"]);
  });

  it("runs Osprey's containers as the image's non-root user, without capabilities", () => {
    expect(ospreyServices.map(([n]) => n).sort()).toEqual(["migrate", "web", "workers"]);
    for (const [name, s] of ospreyServices) {
      expect(s.user, name).toBeDefined();
      expect(s.user!.split(":")[0], name).not.toMatch(/^(0|root)$/);
      expect(s.user, name).toBe(runtimeUser());
      expect(s.cap_drop, name).toEqual(["ALL"]);
    }
  });

  it("requires OSPREY_SECRET_KEY and the database password, with a message saying how to set them", () => {
    for (const v of ["OSPREY_SECRET_KEY", "OSPREY_DB_PASSWORD"]) {
      const uses = [...composeText.matchAll(new RegExp(`\\$\\{${v}([^}]*)\\}`, "g"))].map((m) => m[1]);
      expect(uses.length, v).toBeGreaterThan(0);
      for (const u of uses) expect(u, `every use of ${v} fails when it is unset`).toMatch(new RegExp(`^:\\?set ${v} to .{10,}`));
    }
    expect(composeText).not.toMatch(/:-osprey\b/);
    expect(services.postgres.environment!.POSTGRES_PASSWORD).toMatch(/^\$\{OSPREY_DB_PASSWORD:\?/);
  });
});

describe("Dockerfile", () => {
  it("runs as a non-root user that owns the app's files", () => {
    const user = runtimeUser();
    expect(user).toBeDefined();
    expect(user!.split(":")[0]).not.toMatch(/^(0|root)$/);
    const runtime = dockerfile.split(/^FROM /m).pop()!;
    const uid = user!.split(":")[0];
    expect(runtime).toMatch(new RegExp(`useradd [^\\n]*--uid ${uid}\\b`));
    for (const copy of runtime.match(/^COPY .*/gm) ?? []) expect(copy).toMatch(new RegExp(`--chown=(${uid}|osprey)`));
  });
});
