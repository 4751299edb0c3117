"use client";

import { formatDateTime, formatPercent } from "../format";
import { useDeploysQuery } from "../hooks/use-api-queries";
import { lambdaVersions } from "./lambda-versions";

/** The anchor of a version's row in the Deploys section's metrics per executed version. */
export const versionMetricsId = (version: string) => `version-metrics-${version}`;

/** A function's aliases (the versions each routes to, with weights) and its published versions, from discovery. */
export function VersionsAndAliases({ resourceId, rangeQuery, config }: { resourceId: number; rangeQuery: string; config: Record<string, unknown> }) {
  const { versions, aliases } = lambdaVersions(config);
  // The same query the Deploys section runs: versions that ran in the range link to their metrics there.
  const deploys = useDeploysQuery(resourceId, rangeQuery);
  const executed = new Set((deploys.data?.versions ?? []).map((v) => v.version));
  if (!versions && !aliases) return <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400">Discovery has not read this function&apos;s versions and aliases.</p>;
  if (!versions?.length && !aliases?.length)
    return (
      <p className="card p-4 text-sm text-zinc-600 dark:text-zinc-400" data-testid="versions-aliases-empty">
        No published version and no alias: every invocation runs $LATEST.
      </p>
    );
  return (
    <div className="flex flex-col gap-3" data-testid="versions-aliases">
      {aliases && aliases.length > 0 && (
        <div className="card overflow-x-auto">
          <table className="w-full text-sm" data-testid="aliases">
            <caption className="sr-only">Aliases and the versions they route to</caption>
            <thead>
              <tr className="text-left text-xs text-zinc-600 dark:text-zinc-400">
                <th className="p-2 font-medium">Alias</th>
                <th className="p-2 font-medium">Routes to</th>
              </tr>
            </thead>
            <tbody>
              {aliases.map((a) => (
                <tr key={a.name} className="border-t border-zinc-200 dark:border-zinc-800" data-testid={`alias-${a.name}`}>
                  <td className="p-2 font-medium">{a.name}</td>
                  <td className="num p-2">{a.routes.length ? a.routes.map((r) => `version ${r.version} (${formatPercent(r.weight)})`).join(", ") : "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {versions && versions.length > 0 && (
        <div className="card overflow-x-auto">
          <table className="w-full text-sm" data-testid="published-versions">
            <caption className="sr-only">Published versions, newest first</caption>
            <thead>
              <tr className="text-left text-xs text-zinc-600 dark:text-zinc-400">
                <th className="p-2 font-medium">Version</th>
                <th className="p-2 font-medium">Code (SHA-256)</th>
                <th className="p-2 font-medium">Description</th>
                <th className="p-2 font-medium">Published</th>
                <th className="p-2 font-medium">Aliases</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} className="border-t border-zinc-200 dark:border-zinc-800" data-testid={`published-version-${v.version}`}>
                  <td className="num p-2">
                    {executed.has(v.version) ? (
                      <a className="text-sky-700 hover:underline dark:text-sky-400" href={`#${versionMetricsId(v.version)}`} title="Its metrics in the range, under Deploys">
                        {v.version}
                      </a>
                    ) : (
                      v.version
                    )}
                  </td>
                  <td className="p-2 font-mono text-xs" title={v.codeSha256 ?? undefined}>
                    {v.shortSha ?? "–"}
                  </td>
                  <td className="p-2">{v.description ?? "–"}</td>
                  <td className="num p-2">{formatDateTime(v.lastModified)}</td>
                  <td className="p-2">{v.aliases.join(", ") || "–"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
