import type { Context } from 'hono';
import { routePath } from 'hono/route';

const isPattern = (route: string) => route !== '' && !route.includes('*');

/**
 * The route pattern that answered (`/api/v1/offers/:id`), never the path itself: metrics labels
 * stay few, and ids or tokens in a path never reach a log. Read after the handlers ran: the
 * current route is the one that answered; when a middleware answered (a body too large), the
 * route it was on the way to; when nothing took the request, "unmatched".
 */
export function routeLabel(c: Context): string {
  const answered = routePath(c);
  if (isPattern(answered)) return answered;
  const last = routePath(c, -1);
  return isPattern(last) ? last : 'unmatched';
}
