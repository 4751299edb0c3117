import { z } from "zod";

// The published versions and aliases discovery keeps in a function's config (lib/ingest/discovery/lambda-config.ts),
// read defensively: a config from before a field existed lacks it, and the page shows only what is there.

const Version = z.object({
  version: z.string(),
  codeSha256: z.string().nullable().optional(),
  lastModified: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
});
const Alias = z.object({
  name: z.string(),
  functionVersion: z.string().nullable().optional(),
  additionalVersionWeights: z.record(z.string(), z.number()).optional(),
});

export interface VersionRow {
  version: string;
  /** The first characters of CodeSha256, enough to tell builds apart. */
  shortSha: string | null;
  codeSha256: string | null;
  description: string | null;
  /** Epoch ms; null when unknown. */
  lastModified: number | null;
  /** Aliases that route some of their traffic to this version. */
  aliases: string[];
}

export interface AliasRow {
  name: string;
  /** Where the alias sends its traffic, main version first; weight 0..1. */
  routes: { version: string; weight: number }[];
}

export interface LambdaVersions {
  /** Null when discovery has not stored the list (call failed, or a config from before versions were read). */
  versions: VersionRow[] | null;
  aliases: AliasRow[] | null;
}

/** Lambda writes LastModified as 2019-10-01T16:47:28.490+0000: an offset without a colon Date.parse may refuse. */
function parseAwsTime(v: string | null | undefined): number | null {
  if (!v) return null;
  const t = Date.parse(v.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  return Number.isFinite(t) ? t : null;
}

export function aliasRoutes(alias: z.infer<typeof Alias>): AliasRow["routes"] {
  const extra = Object.entries(alias.additionalVersionWeights ?? {}).map(([version, weight]) => ({ version, weight }));
  const main = alias.functionVersion ? [{ version: alias.functionVersion, weight: Math.max(0, 1 - extra.reduce((n, e) => n + e.weight, 0)) }] : [];
  return [...main, ...extra.sort((a, b) => b.weight - a.weight)];
}

/** The function's aliases and its published versions newest first, from its stored config. */
export function lambdaVersions(config: Record<string, unknown>): LambdaVersions {
  const versions = z.array(Version).safeParse(config.publishedVersions);
  const aliases = z.array(Alias).safeParse(config.aliases);
  const aliasRows = aliases.success ? aliases.data.map((a) => ({ name: a.name, routes: aliasRoutes(a) })) : null;
  return {
    aliases: aliasRows,
    versions: versions.success
      ? [...versions.data].reverse().map((v) => ({
          version: v.version,
          shortSha: v.codeSha256 ? v.codeSha256.slice(0, 8) : null,
          codeSha256: v.codeSha256 ?? null,
          description: v.description || null,
          lastModified: parseAwsTime(v.lastModified),
          aliases: (aliasRows ?? []).filter((a) => a.routes.some((r) => r.version === v.version)).map((a) => a.name),
        }))
      : null,
  };
}
