import { redirect } from 'react-router';
import { auditApiQuery, auditFilterSearch } from '~/components/audit/audit-query';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.audit_.csv';

/**
 * GET /audit/csv?<the audit page's filters>: every matching event as the API's CSV, streamed
 * through with the admin's session so the browser downloads it; the token never reaches the page.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const params = new URL(request.url).searchParams;
  const { error, response } = await api.GET('/api/v1/audit-events', {
    params: { query: { ...auditApiQuery(params), format: 'csv' } },
    parseAs: 'stream',
    signal: request.signal,
  });
  if (!response.ok || !response.body) {
    const search = auditFilterSearch(params);
    throw redirect(`/audit${search ? `?${search}` : ''}`, {
      headers: {
        'set-cookie': await flashToast(request, {
          kind: 'error',
          message: apiMessage(error, 'The export could not be started. Try again in a moment.'),
        }),
      },
    });
  }
  return new Response(response.body, {
    status: 200,
    headers: {
      'content-type': response.headers.get('content-type') ?? 'text/csv; charset=utf-8',
      'content-disposition':
        response.headers.get('content-disposition') ?? 'attachment; filename="audit-events.csv"',
      'cache-control': 'no-store',
    },
  });
}
