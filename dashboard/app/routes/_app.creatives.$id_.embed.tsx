import { data } from 'react-router';
import type { EmbedAnswer } from '~/components/creatives/embed-dialog';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import type { Route } from './+types/_app.creatives.$id_.embed';

const ID = /^[1-9]\d{0,9}$/;

/** The embed snippet of a creative with the signed-in affiliate's link (the embed dialog loads it). */
export async function loader({ context, params }: Route.LoaderArgs) {
  const { api, viewer } = requireRole(authOf(context), 'affiliate');
  if (!ID.test(params.id) || viewer.affiliateId === null)
    return data<EmbedAnswer>({ error: 'There is no such creative.' }, { status: 404 });
  const {
    data: snippet,
    error,
    response,
  } = await api.GET('/api/v1/creatives/{id}/embed', {
    params: { path: { id: params.id }, query: { affiliateId: String(viewer.affiliateId) } },
    parseAs: 'text',
  });
  if (snippet === undefined)
    return data<EmbedAnswer>(
      {
        error:
          response.status === 404
            ? 'This creative is not available to you: its offer is not one you may run.'
            : apiMessage(error, 'The embed code could not be made.'),
      },
      { status: response.status },
    );
  return data<EmbedAnswer>({ snippet });
}
