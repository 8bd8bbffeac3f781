import { passThrough, uuidParam } from '~/components/payouts/passthrough.server';
import { authOf, requireRole } from '~/lib/auth.server';
import type { Route } from './+types/_app.payouts_.runs.$id_.bank-transfers[.]csv';

/**
 * GET /payouts/runs/:id/bank-transfers.csv: the run's bank transfers for the bank's bulk upload
 * (admins), streamed through from the API with the viewer's session.
 */
export async function loader({ params, context, request }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const id = uuidParam(params.id);
  const result = await api.GET('/api/v1/payout-runs/{id}/bank-transfers.csv', {
    params: { path: { id } },
    parseAs: 'stream',
    signal: request.signal,
  });
  return passThrough(result, {
    disposition: 'attachment',
    filename: `bank-transfers-${id}.csv`,
    fallbackType: 'text/csv; charset=utf-8',
  });
}
