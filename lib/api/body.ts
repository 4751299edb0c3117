// The one reader of request bodies for /api/v1: the body is counted while it streams in, so a
// large or endless (chunked) body is refused at the cap instead of being buffered first.
import { AppError, nulError, ValidationError } from "./errors";
import { findNul } from "./nul";

/** JSON bodies of the API are settings and small objects; 1 MiB is far above any of them. */
export const MAX_JSON_BODY_BYTES = 1024 * 1024;

export class PayloadTooLargeError extends AppError {
  constructor(readonly limit: number) {
    super(`Request body larger than ${limit} bytes`, 413, "payload_too_large");
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(expected: string) {
    super(`Content-Type must be ${expected}`, 415, "unsupported_media_type");
  }
}

/** Reads the whole body, refusing it (413) as soon as more than `limit` bytes arrived; a declared Content-Length over the cap is refused unread. */
export async function readBodyCapped(req: Request, limit: number): Promise<Buffer> {
  const declared = req.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw new PayloadTooLargeError(limit);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Stop the sender: the rest is never read.
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** The media type of a Content-Type header, lower-cased, without parameters such as charset. */
export function mediaType(req: Request): string {
  return (req.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
}

/** A JSON body: only from application/json (415 otherwise), at most `limit` bytes (413), valid JSON without NUL characters (400). */
export async function readJson(req: Request, limit = MAX_JSON_BODY_BYTES): Promise<unknown> {
  if (mediaType(req) !== "application/json") throw new UnsupportedMediaTypeError("application/json");
  const raw = await readBodyCapped(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    throw new ValidationError("Request body must be valid JSON (UTF-8)");
  }
  const nul = findNul(value);
  if (nul) throw nulError(nul);
  return value;
}
