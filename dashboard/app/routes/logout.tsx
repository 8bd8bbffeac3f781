import { redirect } from 'react-router';
import { apiClient, refreshTokens } from '~/lib/api.server';
import { destroySession, getSession } from '~/lib/session.server';
import type { Route } from './+types/logout';

/**
 * Ends the session on the control plane too (its refresh token stops working), then here. An
 * access token that has run out is refreshed first, so the session is ended, not just forgotten.
 */
export async function action({ request }: Route.ActionArgs) {
  const session = await getSession(request);
  const logout = (accessToken: string) =>
    apiClient(request, accessToken)
      .POST('/api/v1/auth/logout')
      .then(({ response }) => response.status)
      .catch(() => 0);
  const accessToken = session.get('accessToken');
  const refreshToken = session.get('refreshToken');
  const status = accessToken ? await logout(accessToken) : 401;
  if (status === 401 && refreshToken) {
    const pair = await refreshTokens(request, refreshToken);
    if (pair) await logout(pair.accessToken);
  }
  return redirect('/login', { headers: { 'set-cookie': await destroySession(session) } });
}

export function loader() {
  return redirect('/');
}
