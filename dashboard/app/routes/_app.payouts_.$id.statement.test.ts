import { RouterContextProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '~/lib/api.server';
import { authContext, type Viewer } from '~/lib/auth.server';
import { loader as htmlLoader } from './_app.payouts_.$id.statement[.]html';
import { loader as pdfLoader } from './_app.payouts_.$id.statement[.]pdf';

const ID = '01a22922-32f2-7580-ab27-210b77babffe';

/** The API answering a statement with `answer`; each path asked is kept. */
function setup(answer: () => Response, role: Viewer['role'] = 'affiliate') {
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
  const viewer = { id: 'u', email: 'a@example.test', role, affiliateId: 1 } as Viewer;
  const context = new RouterContextProvider(new Map([[authContext, { api, viewer }]]));
  const get = (loader: typeof htmlLoader | typeof pdfLoader, id = ID, format = 'html') =>
    loader({
      request: new Request(`http://localhost/payouts/${id}/statement.${format}`),
      params: { id },
      context,
    } as never) as Promise<Response>;
  return { asked, get };
}

describe('payout statements', () => {
  it('opens the HTML statement inline with its content type', async () => {
    const { asked, get } = setup(
      () => new Response('<h1>Statement</h1>', { headers: { 'content-type': 'text/html; charset=utf-8' } }),
    );
    const response = await get(htmlLoader);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`inline; filename="payout-${ID}.html"`);
    expect(response.headers.get('cache-control')).toContain('no-store');
    expect(await response.text()).toBe('<h1>Statement</h1>');
    expect(asked).toEqual([
      {
        path: '/api/v1/payouts/{id}/statement.html',
        init: expect.objectContaining({ params: { path: { id: ID } }, parseAs: 'stream' }),
      },
    ]);
  });

  it('downloads the PDF as an attachment', async () => {
    const { asked, get } = setup(
      () =>
        new Response('%PDF-1.4', {
          headers: { 'content-type': 'application/pdf', 'content-disposition': 'inline; filename="x.pdf"' },
        }),
    );
    const response = await get(pdfLoader, ID, 'pdf');
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="payout-statement-${ID}.pdf"`,
    );
    expect(await response.text()).toBe('%PDF-1.4');
    expect(asked[0]?.path).toBe('/api/v1/payouts/{id}/statement.pdf');
  });

  it("passes the API's 404 (another's payout) and 403 (an advertiser) through, without the document headers", async () => {
    for (const status of [404, 403]) {
      const { get } = setup(() => new Response(null, { status }));
      for (const loader of [htmlLoader, pdfLoader]) {
        const response = await get(loader);
        expect(response.status).toBe(status);
        expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
        expect(response.headers.get('content-disposition')).toBeNull();
      }
    }
  });

  it('answers 404 to an id the API could not know, without asking it', async () => {
    const { asked, get } = setup(() => new Response('never'));
    const refused = await get(htmlLoader, '../../api/v1/users').catch((error: unknown) => error);
    expect((refused as Response).status).toBe(404);
    expect(asked).toEqual([]);
  });
});
