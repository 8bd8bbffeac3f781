import { z } from 'zod';
import { passThrough } from '~/components/payouts/passthrough.server';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.invoices_.statement';

const querySchema = z.object({
  advertiserId: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2]|W(0[1-9]|[1-4]\d|5[0-3]))$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
  format: z.enum(['html', 'pdf']).default('html'),
});

/**
 * GET /invoices/statement?advertiserId=&period=2026-11&currency=USD&format=html|pdf: an advertiser's
 * statement of a period as the API renders it, fetched with the viewer's session (an advertiser
 * gets only its own: the API answers 404 for another's, 403 to affiliates) and streamed through,
 * so no token reaches the browser. HTML opens in a tab; the PDF downloads.
 */
export async function loader({ context, request }: Route.LoaderArgs) {
  const { api, viewer } = authOf(context);
  const search = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = querySchema.safeParse({
    ...search,
    advertiserId: search.advertiserId ?? viewer.advertiserId ?? undefined,
  });
  if (!parsed.success)
    return new Response('Choose a month (2026-11) or week (2026-W48) and a currency.', {
      status: 400,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  const { advertiserId, period, currency, format } = parsed.data;
  const result = await api.GET('/api/v1/advertisers/{id}/statements', {
    params: { path: { id: String(advertiserId) }, query: { period, currency, format } },
    parseAs: 'stream',
    signal: request.signal,
  });
  const filename = `statement-${period}-${currency}.${format}`;
  return format === 'pdf'
    ? passThrough(result, { disposition: 'attachment', filename, fallbackType: 'application/pdf' })
    : passThrough(result, { disposition: 'inline', filename, fallbackType: 'text/html; charset=utf-8' });
}
