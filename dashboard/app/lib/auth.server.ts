import { createContext, data, type MiddlewareFunction, redirect } from 'react-router';
import { type ApiClient, apiClient, refreshTokens, type Schemas, type TokenPair } from './api.server';
import { commitSession, type DashboardSession, destroySession, getSession } from './session.server';

export type Viewer = Schemas['User'];
export type Auth = { api: ApiClient; viewer: Viewer };

/** The signed-in user and an API client acting as them, for loaders and actions under `_app`. */
export const authContext = createContext<Auth | null>(null);

// Refreshed a little before it runs out, so a page's several API calls never straddle the expiry.
const REFRESH_EARLY_MS = 60_000;

export function storeTokens(session: DashboardSession, pair: TokenPair, now = Date.now()) {
  session.set('accessToken', pair.accessToken);
  session.set('refreshToken', pair.refreshToken);
  session.set('accessExpiresAt', now + pair.expiresIn * 1000);
}

function loginRedirect(request: Request, headers?: HeadersInit) {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  const to = back === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(back)}`;
  return redirect(to, headers ? { headers } : undefined);
}

/**
 * Puts the signed-in user in the context, or sends the visitor to the login page. The access token
 * is refreshed on the server when it is about to run out (rotation stays out of the browser), and
 * the user is read from the control plane on every request, so a session ended there (logout
 * elsewhere, a disabled user, a suspended company) ends here at once.
 */
export const requireAuth: MiddlewareFunction<Response> = async ({ request, context }, next) => {
  const session = await getSession(request);
  const refreshToken = session.get('refreshToken');
  if (!refreshToken) throw loginRedirect(request);
  let accessToken = session.get('accessToken');
  let changed = false;
  const refresh = async () => {
    const pair = await refreshTokens(request, session.get('refreshToken') ?? refreshToken);
    if (!pair) throw loginRedirect(request, { 'set-cookie': await destroySession(session) });
    storeTokens(session, pair);
    accessToken = pair.accessToken;
    changed = true;
  };
  if (!accessToken || (session.get('accessExpiresAt') ?? 0) - Date.now() < REFRESH_EARLY_MS) await refresh();

  let api = apiClient(request, accessToken);
  let me = await api.GET('/api/v1/auth/me');
  if (me.response.status === 401) {
    await refresh();
    api = apiClient(request, accessToken);
    me = await api.GET('/api/v1/auth/me');
  }
  if (!me.data) {
    const code = me.error?.error.code;
    if (code === 'account_suspended') {
      throw data(
        { message: 'Your company account is suspended. Contact the network to have it reactivated.' },
        { status: 403, headers: { 'set-cookie': await destroySession(session) } },
      );
    }
    throw loginRedirect(request, { 'set-cookie': await destroySession(session) });
  }
  context.set(authContext, { api, viewer: me.data });
  const response = await next();
  if (changed) response.headers.append('set-cookie', await commitSession(session));
  return response;
};

/** The signed-in user and their API client (only under a route guarded by requireAuth). */
export function authOf(context: { get: (key: typeof authContext) => Auth | null }): Auth {
  const auth = context.get(authContext);
  if (!auth) throw new Error('authOf used outside the requireAuth middleware');
  return auth;
}

/** Refuses (403) a page or action to roles it is not for. */
export function requireRole(auth: Auth, ...roles: Viewer['role'][]): Auth {
  if (!roles.includes(auth.viewer.role)) {
    throw data({ message: 'This page is not available to your account.' }, { status: 403 });
  }
  return auth;
}
