// Any other /api/v1 path – for a signed-in user, a JSON 404 from the same error mapper, not Next's HTML page.
import { NotFoundError } from "@/lib/api/errors";
import { handle } from "@/lib/api/route";

export const dynamic = "force-dynamic";

const notFound = handle("viewer", async (req: Request) => {
  throw new NotFoundError(`Endpoint ${new URL(req.url).pathname}`);
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
