import { SELF } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { click, EDGE, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';

describe('pixels', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('attributes an image pixel from the click cookie and always answers a 1x1 GIF', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 500 }));
    const clicked = await click('/c/500?aff_id=7');
    const cookie = clicked.headers.get('set-cookie')!.split(';')[0]!;
    const clickId = cookie.split('=')[1];
    const pixel = await SELF.fetch(`${EDGE}/p/500.gif?event=lead&amount=2.50&txid=P1`, {
      headers: { cookie },
    });
    expect(pixel.status).toBe(200);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    const bytes = new Uint8Array(await pixel.arrayBuffer());
    expect(String.fromCharCode(...bytes.slice(0, 6))).toBe('GIF89a');
    // Logical screen width and height, little-endian: 1 x 1.
    expect([...bytes.slice(6, 10)]).toEqual([1, 0, 1, 0]);
    const [conversion] = await eventually(ingest.conversionsOf(500), (e) => e.length >= 1);
    expect(conversion).toMatchObject({
      clickId,
      event: 'lead',
      amountMinor: 250,
      txid: 'P1',
      source: 'pixel',
    });
  });

  it('answers a GIF even for errors, and records nothing for them', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 501 }));
    const otherOffer = await click('/c/500?aff_id=7');
    const foreign = new URL(otherOffer.headers.get('location') ?? 'https://x.test/').searchParams.get('cid');
    for (const path of [
      '/p/501.gif',
      '/p/501.gif?click_id=forged',
      `/p/501.gif?click_id=${foreign}`,
      '/p/501.gif?event=nope',
    ]) {
      const response = await SELF.fetch(`${EDGE}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type'), path).toBe('image/gif');
    }
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(ingest.conversionsOf(501)()).toEqual([]);
  });

  it('serves JavaScript and iframe pixels with the parameter click id', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 502 }));
    const clickId = new URL((await click('/c/502?aff_id=7')).headers.get('location')!).searchParams.get(
      'cid',
    );
    const js = await SELF.fetch(`${EDGE}/p/502.js?click_id=${clickId}&txid=J`);
    expect(js.headers.get('content-type')).toContain('application/javascript');
    expect(await js.text()).toContain('accepted');
    // A pixel counts once per click and event: the lead event is a second conversion.
    const html = await SELF.fetch(`${EDGE}/p/502.html?transaction_id=${clickId}&txid=H&event=lead`);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(await html.text()).toContain('data-tas="accepted"');
    await eventually(ingest.conversionsOf(502), (e) => e.length >= 2);
  });

  it('answers 404 for pixel paths that are not pixels', async () => {
    for (const path of ['/p/abc.gif', '/p/1.png', '/p/0.gif']) {
      expect((await SELF.fetch(`${EDGE}${path}`)).status, path).toBe(404);
    }
  });
});
