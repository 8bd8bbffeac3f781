import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { clickCookieName } from '../click/click-cookie.ts';
import { recordConversion } from '../conversion/record-conversion.ts';
import { ApiError } from '../http/api-error.ts';
import { clientInfo } from '../http/client-info.ts';
import { readPostbackParams } from '../postback/postback-params.ts';
import { type Bindings, settingsOf } from '../settings.ts';

// The smallest transparent GIF (1x1, 43 bytes).
const GIF = Uint8Array.from(atob('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=='), (c) =>
  c.charCodeAt(0),
);

const FORMATS = {
  gif: (_status: string) => ({ body: GIF, type: 'image/gif' }),
  js: (status: string) => ({ body: `/* tas: ${status} */\n`, type: 'application/javascript; charset=utf-8' }),
  html: (status: string) => ({
    body: `<!doctype html><html><head><meta charset="utf-8"><title>tas</title></head><body data-tas="${status}"></body></html>`,
    type: 'text/html; charset=utf-8',
  }),
} as const;

/**
 * Browser pixels (tracking contract, section 4): `GET /p/{offer}.gif|.js|.html`. Always answered
 * with the requested format and 200: a broken pixel on an advertiser's page must not show.
 * Errors are recorded in the log instead. The click id comes from the parameter, else from the
 * first-party cookie the click set.
 */
export const pixelRoute = new Hono<{ Bindings: Bindings }>();

pixelRoute.get('/:file', async (c) => {
  const match = /^([1-9]\d{0,9})\.(gif|js|html)$/.exec(c.req.param('file'));
  if (!match) throw new ApiError('not_found', 'Pixels are /p/{offer}.gif, .js or .html.');
  const offerId = Number(match[1]);
  const format = match[2] as keyof typeof FORMATS;
  let status = 'accepted';
  try {
    const params = await readPostbackParams(c.req.raw);
    const outcome = await recordConversion(c.env, settingsOf(c.env), clientInfo(c.req.raw), {
      ...params,
      clickId: params.clickId ?? getCookie(c, clickCookieName(offerId)) ?? null,
      secret: null,
      source: 'pixel',
      pixelOfferId: offerId,
    });
    status = outcome.status;
  } catch (error) {
    status = error instanceof ApiError ? error.code : 'error';
    console.error(JSON.stringify({ msg: 'pixel not counted', offerId, code: status, error: String(error) }));
  }
  const answer = FORMATS[format](status);
  return new Response(answer.body, {
    status: 200,
    headers: { 'content-type': answer.type, 'cache-control': 'no-store, private' },
  });
});
