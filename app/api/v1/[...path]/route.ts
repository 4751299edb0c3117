// Any other /api/v1 path – a JSON 404 from the same error mapper, not Next's HTML page.
import { handle, NotFoundError } from "@/lib/api/errors";

export const dynamic = "force-dynamic";

const notFound = handle(async (req: Request) => {
  throw new NotFoundError(`Endpoint ${new URL(req.url).pathname}`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
