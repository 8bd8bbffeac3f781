import { redirect } from 'react-router';
import { getSession } from '~/lib/session.server';
import type { Route } from './+types/_index';

export async function loader({ request }: Route.LoaderArgs) {
  const session = await getSession(request);
  throw redirect(session.get('refreshToken') ? '/dashboard' : '/login');
}
