import { describe, expect, it } from 'vitest';
import { call, errorCode } from '../../test/api-client.ts';
import { useCapWorld } from '../../test/cap-setup.ts';
import { testDatabases } from '../../test/test-databases.ts';

describe.each(testDatabases)('GET /api/v1/offers/{id}/caps errors on $name', ({ open }) => {
  const world = useCapWorld(open);

  it('answers 502 edge_unavailable when the counters cannot be read, and works again after', async () => {
    const { app, advertiser, offer, recorder } = world();
    recorder.fail(true);
    try {
      const down = await call(app, 'GET', `/api/v1/offers/${offer.id}/caps`, {
        token: advertiser.accessToken,
      });
      expect(down.status).toBe(502);
      expect(await errorCode(down)).toBe('edge_unavailable');
    } finally {
      recorder.fail(false);
    }
    const up = await call(app, 'GET', `/api/v1/offers/${offer.id}/caps`, { token: advertiser.accessToken });
    expect(up.status).toBe(200);
  });

  it('answers unknown and malformed offer ids with 404 and 400', async () => {
    const { app, advertiser } = world();
    const missing = await call(app, 'GET', '/api/v1/offers/999999/caps', { token: advertiser.accessToken });
    expect([missing.status, await errorCode(missing)]).toEqual([404, 'not_found']);
    const malformed = await call(app, 'GET', '/api/v1/offers/abc/caps', { token: advertiser.accessToken });
    expect([malformed.status, await errorCode(malformed)]).toEqual([400, 'invalid_request']);
  });
});
