import { redirect } from 'react-router';
import { apiQuery, parseReportView, viewSearchParams } from '~/components/reports/report-view';
import { timeZoneFromCookie } from '~/components/reports/time-zone';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.reports_.csv';

/**
 * GET /reports/csv?<the report's URL state>: the whole report (every row, not one page) as the
 * API's CSV, streamed through with the viewer's session so the browser downloads it; the token
 * never reaches the page. A refused export (one is already running: 429) goes back to the
 * report with the API's message.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api, viewer } = authOf(context);
  const url = new URL(request.url);
  const view = parseReportView(url.searchParams, viewer.role, {
    timezone: timeZoneFromCookie(request.headers.get('cookie')) ?? 'UTC',
  });
  const { error, response } = await api.GET('/api/v1/reports', {
    params: { query: { ...apiQuery(view), format: 'csv' } },
    parseAs: 'stream',
    signal: request.signal,
  });
  if (!response.ok || !response.body) {
    const message =
      response.status === 429
        ? 'An export of yours is still running (one at a time): try again when it has finished.'
        : apiMessage(error, 'The export could not be started. Try again in a moment.');
    throw redirect(`/reports?${viewSearchParams(view)}`, {
      headers: { 'set-cookie': await flashToast(request, { kind: 'error', message }) },
    });
  }
  const headers = new Headers({
    'content-type': response.headers.get('content-type') ?? 'text/csv; charset=utf-8',
    'content-disposition':
      response.headers.get('content-disposition') ??
      `attachment; filename="report-${view.range.from}-${view.range.to}.csv"`,
    'cache-control': 'no-store',
  });
  return new Response(response.body, { status: 200, headers });
}
