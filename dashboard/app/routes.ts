import type { RouteConfig } from '@react-router/dev/routes';
import { flatRoutes } from '@react-router/fs-routes';

// One file a page under app/routes (epic-stack's convention): `_app.offers.$id.tsx` is
// /offers/:id inside the signed-in layout `_app.tsx`; `login.tsx` is /login outside it.
export default flatRoutes({
  ignoredRouteFiles: ['**/*.test.{ts,tsx}', '**/*.server.ts', '**/components/**'],
}) satisfies RouteConfig;
