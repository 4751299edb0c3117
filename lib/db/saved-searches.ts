import type pg from "pg";
import type { SavedSearchInput, SavedSearchView } from "@/lib/api/schemas/search";

type Db = Pick<pg.Pool, "query">;

interface Row {
  id: number;
  name: string;
  q: string;
  range: "1h" | "24h" | "7d" | "30d" | null;
  resource: number[] | null;
  createdBy: string;
  createdAt: Date;
}

/** The search page's URL for a saved search: the same parameters the page keeps in its own URL. */
export function savedSearchUrl(s: Pick<SavedSearchInput, "q" | "range" | "resource">): string {
  const p = new URLSearchParams({ q: s.q });
  if (s.range) p.set("range", s.range);
  if (s.resource.length) p.set("resource", s.resource.join(","));
  return `/search?${p}`;
}

function toView(r: Row): SavedSearchView {
  const resource = r.resource ?? [];
  return { id: r.id, name: r.name, q: r.q, range: r.range, resource, createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), url: savedSearchUrl({ ...r, resource }) };
}

const COLUMNS = `id, name, q, range, resource, created_by AS "createdBy", created_at AS "createdAt"`;

export async function listSavedSearches(db: Db): Promise<SavedSearchView[]> {
  const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM saved_searches ORDER BY name, id`);
  return rows.map(toView);
}

export async function createSavedSearch(db: Db, input: SavedSearchInput, createdBy: string): Promise<SavedSearchView> {
  const { rows } = await db.query<Row>(
    `INSERT INTO saved_searches (name, q, range, resource, created_by) VALUES ($1, $2, $3, $4::int[], $5) RETURNING ${COLUMNS}`,
    [input.name, input.q, input.range, input.resource, createdBy],
  );
  return toView(rows[0]);
}

/** Whether it existed. */
export async function deleteSavedSearch(db: Db, id: number): Promise<boolean> {
  const { rowCount } = await db.query("DELETE FROM saved_searches WHERE id = $1", [id]);
  return (rowCount ?? 0) > 0;
}
