import { RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import { loader } from './_app.invoices_.statement';

/** The API answering a statement with `answer`; each call kept. */
function setup(answer: () => Response, role: Viewer['role'] = 'advertiser') {
  const asked: { path: string; init: unknown }[] = [];
  const api = {
    GET: async (path: string, init: unknown) => {
      asked.push({ path, init });
      const response = answer();
      return response.ok
        ? { response }
        : { error: { error: { code: 'x', message: 'refused', requestId: 'r' } }, response };
    },
  } as unknown as ApiClient;
  const viewer = {
    id: 'u',
    email: 'a@example.test',
    role,
    advertiserId: role === 'advertiser' ? 7 : null,
  } as Viewer;
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const get = (query: string) =>
    loader({
      request: new Request(`http://localhost/invoices/statement?${query}`),
      params: {},
      context,
    } as never) as Promise<Response>;
  return { asked, get };
}

describe('advertiser statements', () => {
  it("opens the viewer's own HTML statement inline, asking the API for its advertiser", async () => {
    const { asked, get } = setup(
      () => new Response('<h1>Statement</h1>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
    );
    const response = await get('period=2026-11&currency=USD');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('inline; filename="statement-2026-11-USD.html"');
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(await response.text()).toBe('<h1>Statement</h1>');
    expect(asked).toEqual([
      {
        path: '/api/v1/advertisers/{id}/statements',
        init: expect.objectContaining({
          params: { path: { id: '7' }, query: { period: '2026-11', currency: 'USD', format: 'html' } },
          parseAs: 'stream',
        }),
      },
    ]);
  });

  it("downloads a week's PDF as an attachment, for the advertiser an admin names", async () => {
    const { asked, get } = setup(
      () => new Response('%PDF-1.4', { headers: { 'content-type': 'application/pdf' } }),
      'admin',
    );
    const response = await get('advertiserId=3&period=2026-W48&currency=EUR&format=pdf');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="statement-2026-W48-EUR.pdf"',
    );
    expect(await response.text()).toBe('%PDF-1.4');
    expect(asked[0]?.init).toMatchObject({
      params: { path: { id: '3' }, query: { period: '2026-W48', currency: 'EUR', format: 'pdf' } },
    });
  });

  it("passes the API's 404 (another's statement) and 403 (an affiliate) through as text", async () => {
    for (const status of [404, 403]) {
      const { get } = setup(() => new Response(null, { status }));
      const response = await get('advertiserId=9&period=2026-11&currency=USD');
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('content-disposition')).toBeNull();
    }
  });

  it('refuses a period, currency or advertiser the API could not know, without asking it', async () => {
    const { asked, get } = setup(() => new Response('never'));
    for (const query of [
      'period=2026-13&currency=USD',
      'period=2026-11&currency=usd',
      'period=../../users&currency=USD',
      'advertiserId=x&period=2026-11&currency=USD',
      'period=2026-11&currency=USD&format=csv',
    ]) {
      expect((await get(query)).status, query).toBe(400);
    }
    expect(asked).toEqual([]);
  });
});
