import type { Input, Kind, Ledger } from './ledger.ts';

/** Node's own user agent is a bot to the edge; traffic meant as visitors says it is Chrome. */
export const BROWSER_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

const CLICK_ID = /^[A-Za-z0-9_-]{44}$/;
const REQUEST_TIMEOUT_MS = 30_000;

export type Conversion = {
  offerId: number;
  event: string;
  txid: string | null;
  clickId: string;
  /** The status the request carries, when it may become a status change of a counted conversion. */
  status?: string;
};

/** A postback's answer: its JSON body (the error's too), and for an error its code (`422 unsupported_currency`). */
export type PostbackAnswer = { status: number; body: Record<string, unknown> | null; code: string | null };

/** A click's answer: the status, the Location of a redirect, and the click id the edge handed out. */
export type ClickAnswer = { status: number; location: string | null; clickId: string | null };

/**
 * The edge as the outside world uses it, each answer written to the ledger: a click id is
 * expected in Postgres whenever the 302 (or /r JSON) carries one, a conversion whenever the answer
 * says "accepted". Query strings are passed raw so poison (`%00`, `%C3%28`) reaches the edge as is.
 */
export function edgeClient(edgeUrl: string, ledger: Ledger) {
  const send = async (kind: Kind, input: Input, url: string, init: RequestInit): Promise<Response | null> => {
    ledger.sent[kind]++;
    ledger.tried(input);
    try {
      return await fetch(url, {
        ...init,
        redirect: 'manual',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      ledger.unanswered[kind]++;
      ledger.answered(kind, `no answer (${error instanceof Error ? error.name : 'error'})`);
      return null;
    }
  };

  const errorOf = async (response: Response) => {
    const text = await response.text().catch(() => '');
    try {
      const body = JSON.parse(text) as Record<string, unknown> & { error?: { code?: unknown } };
      const code = body.error?.code;
      return { code: `${response.status} ${typeof code === 'string' ? code : 'error'}`, body };
    } catch {
      return { code: `${response.status} ${text.slice(0, 40)}`, body: null };
    }
  };
  const errorCode = async (response: Response) => (await errorOf(response)).code;

  /** The click id of a tracked click: from its cookie, else from the Location's parameters. */
  const clickIdOf = (response: Response, offerId: number): string | null => {
    for (const cookie of response.headers.getSetCookie()) {
      const match = new RegExp(`^tas_c${offerId}=([A-Za-z0-9_-]{44})`).exec(cookie);
      if (match) return match[1]!;
    }
    const location = response.headers.get('location');
    if (!location) return null;
    try {
      const params = new URL(location).searchParams;
      for (const name of ['click_id', 'tid', 'transaction_id']) {
        const value = params.get(name);
        if (value && CLICK_ID.test(value)) return value;
      }
    } catch {
      // not a URL: no click id
    }
    return null;
  };

  /** `GET /c/{offer}?{query}`: the whole answer (status, Location, click id). */
  const visit = async (
    input: Input,
    offerId: number,
    query: string,
    options: { userAgent?: string; path?: string; headers?: Record<string, string> } = {},
  ): Promise<ClickAnswer | null> => {
    const response = await send('click', input, `${edgeUrl}${options.path ?? `/c/${offerId}`}?${query}`, {
      headers: { ...options.headers, 'user-agent': options.userAgent ?? BROWSER_UA },
    });
    if (!response) return null;
    if (response.status !== 302) {
      ledger.answered('click', await errorCode(response));
      return { status: response.status, location: null, clickId: null };
    }
    await response.body?.cancel();
    const clickId = clickIdOf(response, offerId);
    ledger.answered('click', clickId ? '302 with click id' : '302 without click id');
    if (clickId) ledger.clicks.set(clickId, input);
    return { status: 302, location: response.headers.get('location'), clickId };
  };

  return {
    visit,

    /** `GET /c/{offer}?{query}`; returns the click id the edge handed out, if any. */
    async click(
      input: Input,
      offerId: number,
      query: string,
      options: { userAgent?: string; path?: string } = {},
    ): Promise<string | null> {
      return (await visit(input, offerId, query, options))?.clickId ?? null;
    },

    /** `GET /r/{offer}?{query}` (redirectless, as /t.js registers a direct visit): JSON `{ click_id }`. */
    async register(
      input: Input,
      offerId: number,
      query: string,
      userAgent = BROWSER_UA,
    ): Promise<string | null> {
      const response = await send('click', input, `${edgeUrl}/r/${offerId}?${query}`, {
        headers: { 'user-agent': userAgent },
      });
      if (!response) return null;
      if (response.status !== 200) {
        ledger.answered('click', `/r ${await errorCode(response)}`);
        return null;
      }
      const body = (await response.json().catch(() => null)) as { click_id?: unknown } | null;
      const clickId =
        typeof body?.click_id === 'string' && CLICK_ID.test(body.click_id) ? body.click_id : null;
      ledger.answered('click', clickId ? '/r with click id' : '/r without click id');
      if (clickId) ledger.clicks.set(clickId, input);
      return clickId;
    },

    /**
     * `GET|POST /postback`. `kind` is `status` for a repeat that carries a status change. The
     * answer is returned for callers that check it (concurrent duplicates).
     */
    async postback(
      kind: 'postback' | 'status',
      input: Input,
      conversion: Conversion,
      request: { query: string } | { json: Record<string, string | number> } | { form: string },
      headers: Record<string, string> = {},
    ): Promise<PostbackAnswer | null> {
      const url = `${edgeUrl}/postback${'query' in request ? `?${request.query}` : ''}`;
      const init: RequestInit =
        'query' in request
          ? { headers }
          : 'json' in request
            ? {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/json' },
                body: JSON.stringify(request.json),
              }
            : {
                method: 'POST',
                headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
                body: request.form,
              };
      const response = await send(kind, input, url, init);
      if (!response) return null;
      if (response.status !== 200) {
        const error = await errorOf(response);
        ledger.answered(kind, error.code);
        return { status: response.status, body: error.body, code: error.code };
      }
      const body = (await response.json().catch(() => null)) as Record<string, unknown> | null;
      const status = typeof body?.status === 'string' ? body.status : 'unreadable';
      const conversionId = typeof body?.conversion_id === 'string' ? body.conversion_id : null;
      if (status === 'accepted' && conversionId) {
        ledger.postbacks.set(conversionId, { ...input, clickId: conversion.clickId });
        if (conversion.txid !== null)
          ledger.orderAccepted(conversion.offerId, conversion.event, conversion.txid, conversion.clickId);
      }
      const statusUpdateId = typeof body?.status_update_id === 'string' ? body.status_update_id : null;
      if (status === 'duplicate' && body?.status_update === 'queued' && statusUpdateId) {
        ledger.statusUpdates.set(statusUpdateId, input);
        ledger.answered(kind, 'duplicate, status update queued');
      } else {
        ledger.answered(kind, status);
      }
      return { status: 200, body, code: null };
    },

    /** `GET /p/{offer}.js`: its body says what the edge did (`accepted`, `duplicate` or an error code). */
    async pixel(input: Input, conversion: Conversion, query: string): Promise<string | null> {
      const response = await send('pixel', input, `${edgeUrl}/p/${conversion.offerId}.js?${query}`, {
        headers: { 'user-agent': BROWSER_UA },
      });
      if (!response) return null;
      const text = await response.text();
      const status = /\/\* tas: ([a-z_]+) \*\//.exec(text)?.[1] ?? `${response.status} unreadable`;
      ledger.answered('pixel', status);
      if (status === 'accepted') {
        // Not counted per order: a pixel and a postback for the same order may both be taken (the
        // postback then supersedes the pixel), which is no double count.
        ledger.pixels.push({ ...input, clickId: conversion.clickId });
      }
      return status;
    },
  };
}
export type EdgeClient = ReturnType<typeof edgeClient>;
