import { data, type MiddlewareFunction } from 'react-router';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Actions accept only requests from the dashboard's own pages. The session cookie is SameSite=Lax
 * already; this also refuses a cross-site form post in browsers that send one anyway, using
 * Sec-Fetch-Site when the browser sends it, else Origin against the public origin.
 */
export const refuseCrossSiteActions: MiddlewareFunction<Response> = async ({ request }, next) => {
  if (SAFE_METHODS.has(request.method)) return next();
  const site = request.headers.get('sec-fetch-site');
  const origin = request.headers.get('origin');
  const expected = process.env.DASHBOARD_PUBLIC_URL?.replace(/\/+$/, '') ?? new URL(request.url).origin;
  const crossSite =
    site !== null ? site !== 'same-origin' && site !== 'none' : origin !== null && origin !== expected;
  if (crossSite) throw data({ message: 'This request did not come from the dashboard.' }, { status: 403 });
  return next();
};
