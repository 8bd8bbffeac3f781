import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.live_.stream';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // Proxies (nginx) must pass events on as they come.
  'x-accel-buffering': 'no',
};

/** One event and the end of the stream: how a refusal reaches an EventSource, which sees no statuses. */
function oneEvent(event: string, body: unknown): Response {
  return new Response(`retry: 60000\nevent: ${event}\ndata: ${JSON.stringify(body)}\n\n`, {
    status: 200,
    headers: SSE_HEADERS,
  });
}

/**
 * GET /live/stream[?since=ISO]: the control plane's live feed (GET /api/v1/live, Server-Sent
 * Events) opened with the session's access token and passed through to the browser's
 * EventSource on the dashboard's own origin, so the token never reaches the page. When the
 * browser goes away the upstream request is aborted, which frees the viewer's feed slot. The
 * API's refusals become events: `limited` (429: too many feeds open) and `failure`.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api } = authOf(context);
  const since = new URL(request.url).searchParams.get('since');
  const valid = since !== null && !Number.isNaN(Date.parse(since)) && /^\d{4}-\d{2}-\d{2}T/.test(since);
  const { error, response } = await api.GET('/api/v1/live', {
    params: { query: valid ? { since: new Date(since).toISOString() } : {} },
    parseAs: 'stream',
    signal: request.signal,
  });
  if (response.status === 429) {
    const retryAfter = Number(response.headers.get('retry-after') ?? '30');
    return oneEvent('limited', {
      retryAfter: Number.isFinite(retryAfter) ? retryAfter : 30,
      message: apiMessage(error, 'Too many live feeds are open.'),
    });
  }
  if (!response.ok || !response.body) {
    return oneEvent('failure', {
      status: response.status,
      message: apiMessage(error, 'The live feed could not be opened.'),
    });
  }
  return new Response(response.body, { status: 200, headers: SSE_HEADERS });
}
