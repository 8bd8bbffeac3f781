import { env, SELF } from 'cloudflare:test';
import { signBody } from '@tas/shared/signature';
import { describe, expect, it } from 'vitest';
import { affiliateConfig, click, EDGE, type ErrorBody, offerConfig, publish } from '../../test/fixtures.ts';

describe('POST /internal/config', () => {
  it('writes offers and affiliates to KV and removes them', async () => {
    const response = await publish({
      upsert: { offers: [offerConfig({ id: 40 })], affiliates: [affiliateConfig()] },
    });
    expect(response.status).toBe(200);
    expect(await env.CONFIG.get('offer:40', 'json')).toMatchObject({ id: 40, status: 'active' });
    expect((await click('/c/40?aff_id=7')).status).toBe(302);

    expect((await publish({ remove: { offers: [40] } })).status).toBe(200);
    expect(await env.CONFIG.get('offer:40')).toBeNull();
  });

  it('refuses unsigned, badly signed and stale requests without writing', async () => {
    const body = JSON.stringify({ upsert: { offers: [offerConfig({ id: 41 })] } });
    const attempts: Record<string, string | undefined> = {
      unsigned: undefined,
      'wrong secret': await signBody('x'.repeat(40), '/internal/config', body),
      'another endpoint': await signBody('test-config-secret-0123456789abcdefghijkl', '/internal/caps', body),
      stale: await signBody(
        'test-config-secret-0123456789abcdefghijkl',
        '/internal/config',
        body,
        Math.floor(Date.now() / 1000) - 3600,
      ),
    };
    for (const [name, signature] of Object.entries(attempts)) {
      const response = await SELF.fetch(`${EDGE}/internal/config`, {
        method: 'POST',
        headers: signature ? { 'x-tas-signature': signature } : {},
        body,
      });
      expect(response.status, name).toBe(401);
      expect(((await response.json()) as ErrorBody).error.code).toBe('unauthorized');
    }
    expect(await env.CONFIG.get('offer:41')).toBeNull();
  });

  it('refuses an invalid configuration as a whole', async () => {
    const response = await publish({
      upsert: {
        offers: [
          offerConfig({ id: 42 }),
          { ...offerConfig({ id: 43 }), destinationUrl: 'javascript:alert(1)' },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorBody).error.code).toBe('invalid_body');
    expect(await env.CONFIG.get('offer:42')).toBeNull();
  });

  it('answers 503 for a KV value it cannot read, never a 500 nor an "unknown offer" nobody retries', async () => {
    await publish({ upsert: { affiliates: [affiliateConfig()] } });
    await env.CONFIG.put('offer:44', '{not json');
    await env.CONFIG.put('offer:45', JSON.stringify({ id: 45 }));
    for (const id of [44, 45]) {
      const response = await click(`/c/${id}?aff_id=7`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    }
  });
});
