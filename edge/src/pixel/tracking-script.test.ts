import { SELF } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EDGE, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { captureIngest, eventually } from '../../test/ingest-capture.ts';
import { CHROME_WINDOWS } from '../../test/user-agents.ts';

describe('redirectless tracking', () => {
  let ingest: ReturnType<typeof captureIngest>;
  beforeEach(() => {
    ingest = captureIngest();
  });
  afterEach(() => ingest.restore());

  it('serves /t.js pointing at this edge, with the TAS API', async () => {
    const response = await SELF.fetch(`${EDGE}/t.js`);
    expect(response.headers.get('content-type')).toContain('application/javascript');
    const body = await response.text();
    expect(body).toContain(JSON.stringify(EDGE));
    expect(body).toContain('window.TAS');
    // It must at least be valid JavaScript.
    expect(() => new Function(body)).not.toThrow();
  });

  it('registers a click for a direct visit through /r/{offer} and records it as a script click', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 600 }));
    const response = await SELF.fetch(`${EDGE}/r/600?aff_id=7&offer_id=600&sub1=direct`, {
      headers: { 'user-agent': CHROME_WINDOWS, origin: 'https://adv.test' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { click_id: string; counted: boolean };
    expect(body).toMatchObject({ counted: true, click_id: expect.stringMatching(/^[A-Za-z0-9_-]{44}$/) });
    const [event] = await eventually(ingest.eventsOf(600), (e) => e.length >= 1);
    expect(event).toMatchObject({ id: body.click_id, source: 'script', sub1: 'direct' });
    // The registered click is attributable like any other.
    const postback = await SELF.fetch(`${EDGE}/postback?click_id=${body.click_id}`);
    expect(postback.status).toBe(200);
  });

  it('refuses registration for unknown offers with the usual 404', async () => {
    expect((await SELF.fetch(`${EDGE}/r/9999?aff_id=7`)).status).toBe(404);
  });
});
