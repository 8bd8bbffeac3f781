import { data } from 'react-router';
import type { ApiClient } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import type { ReportApiQuery, ReportRow } from './report-view';

/**
 * The rows of one report, as the viewer's own API client reads them. A refusal (a range too long,
 * too many rows) reaches the shared error boundary with the API's own message.
 */
export async function fetchReport(api: ApiClient, query: ReportApiQuery): Promise<ReportRow[]> {
  const {
    data: body,
    error,
    response,
  } = await api.GET('/api/v1/reports', {
    params: { query: { ...query, format: 'json' } },
  });
  if (!body || typeof body === 'string') {
    throw data(
      { message: apiMessage(error, 'The report could not be read. Try again in a moment.') },
      { status: response.status >= 400 && response.status < 500 ? response.status : 502 },
    );
  }
  return body.data;
}

/**
 * The rows, or what the API said when it refused (a range too long, too many rows): the page
 * then shows the message beside the builder, so the viewer can narrow the report.
 */
export async function tryFetchReport(
  api: ApiClient,
  query: ReportApiQuery,
): Promise<{ rows: ReportRow[] } | { error: string }> {
  const {
    data: body,
    error,
    response,
  } = await api.GET('/api/v1/reports', {
    params: { query: { ...query, format: 'json' } },
  });
  if (body && typeof body !== 'string') return { rows: body.data };
  if (response.status >= 500) {
    throw data({ message: 'The report could not be read. Try again in a moment.' }, { status: 502 });
  }
  return { error: apiMessage(error, 'The report could not be read.') };
}
