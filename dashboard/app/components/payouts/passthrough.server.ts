import { apiMessage } from '~/lib/api-errors';

/**
 * A document of the API (a statement, the bank transfers CSV) answered by the dashboard: the body
 * streamed through with the API's content type and the disposition asked for, so the browser
 * shows or downloads it and no token reaches it. A refusal keeps the API's status (404 for a
 * payout that is not the viewer's, 403 for a role without statements) with its message as text.
 */
export function passThrough(
  result: { response: Response; error?: unknown },
  {
    disposition,
    filename,
    fallbackType,
  }: { disposition: 'inline' | 'attachment'; filename: string; fallbackType: string },
): Response {
  const { response, error } = result;
  if (!response.ok || !response.body) {
    const message =
      response.status === 404
        ? 'Not found: there is no such document, or it is not yours.'
        : response.status === 403
          ? 'Your account may not open this document.'
          : apiMessage(error, 'The document could not be loaded. Try again in a moment.');
    return new Response(message, {
      status: response.ok ? 502 : response.status,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    });
  }
  return new Response(response.body, {
    status: 200,
    headers: {
      'content-type': response.headers.get('content-type') ?? fallbackType,
      'content-disposition': `${disposition}; filename="${filename}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The id of the URL if it is one the API could know, else a 404 thrown before asking it. */
export function uuidParam(value: string | undefined): string {
  if (!value || !UUID.test(value))
    throw new Response('Not found.', {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  return value;
}
