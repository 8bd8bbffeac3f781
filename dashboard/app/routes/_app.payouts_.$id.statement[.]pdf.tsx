import { passThrough, uuidParam } from '~/components/payouts/passthrough.server';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.payouts_.$id.statement[.]pdf';

/**
 * GET /payouts/:id/statement.pdf: the payout's statement as a PDF download, fetched with the
 * viewer's session and streamed through (the API's 404/403 kept, see passThrough).
 */
export async function loader({ params, context, request }: Route.LoaderArgs) {
  const { api } = authOf(context);
  const id = uuidParam(params.id);
  const result = await api.GET('/api/v1/payouts/{id}/statement.pdf', {
    params: { path: { id } },
    parseAs: 'stream',
    signal: request.signal,
  });
  return passThrough(result, {
    disposition: 'attachment',
    filename: `payout-statement-${id}.pdf`,
    fallbackType: 'application/pdf',
  });
}
