import { data } from 'react-router';
import { requirePostbacks } from '~/components/postbacks/postbacks.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.postbacks.deliveries_.$id';

/** The attempts of one delivery, for the delivery log's rows as they open. No page of its own. */
export async function loader({ params, context }: Route.LoaderArgs) {
  const { api } = requirePostbacks(authOf(context));
  const {
    data: body,
    error,
    response,
  } = await api.GET('/api/v1/postback-deliveries/{id}/attempts', {
    params: { path: { id: params.id } },
  });
  if (!body)
    throw data({ message: apiMessage(error) }, { status: response.status === 400 ? 404 : response.status });
  return { attempts: body.data };
}
