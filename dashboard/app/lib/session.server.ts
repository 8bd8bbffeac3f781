import { createCookieSessionStorage, type Session } from 'react-router';
import { dashboardEnv } from './env.server';

/** What the dashboard keeps of a login: the control plane's tokens, server-side only. */
export type SessionData = {
  accessToken: string;
  refreshToken: string;
  /** When the access token expires, ms since the epoch. */
  accessExpiresAt: number;
};

export type Toast = { kind: 'success' | 'error' | 'info'; message: string };
type FlashData = { toast: Toast };

export type DashboardSession = Session<SessionData, FlashData>;

let storage: ReturnType<typeof createCookieSessionStorage<SessionData, FlashData>> | null = null;

/**
 * The session lives in an httpOnly, signed cookie (SameSite=Lax, Secure outside plain-http local
 * use): the browser's scripts never see the tokens, and no page carries them. 30 days, the
 * control plane's session lifetime.
 */
export function sessionStorage() {
  if (storage) return storage;
  const env = dashboardEnv();
  storage = createCookieSessionStorage<SessionData, FlashData>({
    cookie: {
      name: '__tas_session',
      httpOnly: true,
      sameSite: 'lax',
      secure: env.production,
      path: '/',
      maxAge: 30 * 86_400,
      secrets: [env.sessionSecret],
    },
  });
  return storage;
}

export function getSession(request: Request): Promise<DashboardSession> {
  return sessionStorage().getSession(request.headers.get('cookie'));
}

export function commitSession(session: DashboardSession): Promise<string> {
  return sessionStorage().commitSession(session);
}

export function destroySession(session: DashboardSession): Promise<string> {
  return sessionStorage().destroySession(session);
}

/** A toast shown on the next page, e.g. after a redirecting action. */
export async function flashToast(request: Request, toast: Toast): Promise<string> {
  const session = await getSession(request);
  session.flash('toast', toast);
  return commitSession(session);
}
