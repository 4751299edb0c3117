import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";

// Prisma's CLI downloads a native schema engine, which cannot be fetched offline;
// the WebAssembly build of the same engine runs migrations through a driver adapter.

const require = createRequire(import.meta.url);

type WasmBindings = {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
  SchemaEngine: {
    new: (options: { datamodels?: [string, string][] }, log: (msg: string) => void, adapter: unknown) => Promise<SchemaEngineHandle>;
  };
};

export interface SchemaEngineHandle {
  applyMigrations(input: unknown): Promise<{ appliedMigrationNames: string[] }>;
  diff(input: unknown): Promise<{ exitCode: number; stdout: string }>;
  diagnoseMigrationHistory?(input: unknown): Promise<unknown>;
  free(): void;
}

let bindings: WasmBindings | undefined;

async function loadWasm(): Promise<WasmBindings> {
  if (bindings) return bindings;
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const pkgDir = path.dirname(gluePath);
  const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as WasmBindings;
  const bytes = readFileSync(path.join(pkgDir, "schema_engine_bg.wasm"));
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  (globalThis as Record<string, unknown>).PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (m: string) => console.error(m) };
  bindings = glue;
  return glue;
}

export async function withSchemaEngine<T>(databaseUrl: string, fn: (engine: SchemaEngineHandle) => Promise<T>): Promise<T> {
  const glue = await loadWasm();
  const factory = new PrismaPg({ connectionString: databaseUrl });
  const scripts = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  scripts.on("error", () => {});
  // adapter-pg splits migration scripts on every ";", which breaks PL/pgSQL bodies.
  // Postgres's simple query protocol takes the whole script at once, in one implicit transaction.
  const connect = factory.connect.bind(factory);
  const opened: { dispose(): Promise<void> }[] = [];
  (factory as { connect: unknown }).connect = async () => {
    const adapter = await connect();
    opened.push(adapter);
    adapter.executeScript = async (script: string) => {
      await scripts.query(script);
    };
    return adapter;
  };
  const adapter = bindMigrationAwareSqlAdapterFactory(factory as never);
  const engine = await glue.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  try {
    return await fn(engine);
  } finally {
    engine.free();
    // The engine does not close its connections; left open they would block DROP DATABASE and template copies.
    await Promise.all(opened.map((a) => a.dispose().catch(() => {})));
    await scripts.end();
  }
}

