import { SearchTimeoutError } from "../db/log-search";
import { parseLogSearch, SearchSyntaxError, type LogSearch } from "../ingest/search/parse-query";
import { AppError, ValidationError } from "./errors";

export class SearchTooSlowError extends AppError {
  constructor(message: string) {
    super(message, 422, "search_timeout");
  }
}

/** The search in `q`, or a 400 naming what cannot be read. */
export function parseSearchParam(q: string): LogSearch {
  try {
    return parseLogSearch(q);
  } catch (err) {
    if (err instanceof SearchSyntaxError) throw new ValidationError(err.message, [{ path: "q", message: err.message }]);
    throw err;
  }
}

/** Runs a search: an invalid regular expression is a 400, one past the time limit a 422. */
export async function runSearch<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SearchSyntaxError) throw new ValidationError(err.message, [{ path: "q", message: err.message }]);
    if (err instanceof SearchTimeoutError) throw new SearchTooSlowError(err.message);
    throw err;
  }
}
