import { passThrough, uuidParam } from '~/components/payouts/passthrough.server';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.payouts_.$id.statement[.]html';

/**
 * GET /payouts/:id/statement.html: the payout's statement as the API renders it, opened in a tab.
 * Fetched with the viewer's session (an affiliate gets only its own: the API answers 404 for
 * another's, 403 to advertisers) and streamed through, so no token reaches the browser.
 */
export async function loader({ params, context, request }: Route.LoaderArgs) {
  const { api } = authOf(context);
  const id = uuidParam(params.id);
  const result = await api.GET('/api/v1/payouts/{id}/statement.html', {
    params: { path: { id } },
    parseAs: 'stream',
    signal: request.signal,
  });
  return passThrough(result, {
    disposition: 'inline',
    filename: `payout-${id}.html`,
    fallbackType: 'text/html; charset=utf-8',
  });
}
