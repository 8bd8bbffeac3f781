import { createServer } from 'node:http';

/** The shop's public host name: offers need a domain (no IPs), so the visitor's browser maps it here. */
export const SHOP_HOST = 'shop.e2e.example';

/**
 * The advertiser's shop, where tracking links land: a local server whose landing page shows the
 * click id the edge appended, as a real shop keeps it for its postback.
 */
export async function startAdvertiserSite() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${SHOP_HOST}`);
    const clickId = (url.searchParams.get('click_id') ?? '').replace(/[^A-Za-z0-9_-]/g, '');
    res.writeHead(url.pathname === '/favicon.ico' ? 404 : 200, {
      'content-type': 'text/html; charset=utf-8',
    });
    res.end(`<!doctype html><html lang="en"><head><title>E2E Shop</title></head><body><main>
<h1>E2E Shop</h1><p>Landed with click id <output id="click-id">${clickId}</output></p>
</main></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    /** The shop's public base URL, as offers name it. */
    url: `http://${SHOP_HOST}`,
    /** Where the shop really listens. */
    address: `127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
