import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Stack } from '../scripts/stack.ts';
import { BROWSER_UA as BROWSER, eventually, startE2EStack } from './e2e-stack.ts';

describe('a click travels from the edge to Postgres', () => {
  let env: Awaited<ReturnType<typeof startE2EStack>>;
  let db: pg.Client;
  let stack: Stack;
  let recorder: Awaited<ReturnType<typeof startE2EStack>>['recorder'];

  beforeAll(async () => {
    env = await startE2EStack();
    ({ db, stack, recorder } = env);
  });
  afterAll(() => env?.stop());

  const counts = async () => {
    const { rows } = await db.query<{ clicks: string; conversions: string }>(
      'SELECT (SELECT count(*) FROM clicks) AS clicks, (SELECT count(*) FROM conversions) AS conversions',
    );
    return { clicks: Number(rows[0]!.clicks), conversions: Number(rows[0]!.conversions) };
  };

  it('follows a tracking link, fires the postback, and finds exactly one click and one conversion', async () => {
    const click = await fetch(`${stack.urls.edge}/c/1?aff_id=1&sub1=e2e`, {
      redirect: 'manual',
      headers: { 'user-agent': BROWSER },
    });
    expect(click.status).toBe(302);
    const location = new URL(click.headers.get('location')!);
    expect(location.host).toBe('shop.example.com');
    const clickId = location.searchParams.get('click_id')!;
    expect(clickId).toMatch(/^[A-Za-z0-9_-]{44}$/);

    const postback = await fetch(`${stack.urls.edge}/postback?click_id=${clickId}&amount=49.90&txid=E2E-1`);
    expect(postback.status).toBe(200);
    const accepted = (await postback.json()) as { status: string; conversion_id: string };
    expect(accepted.status).toBe('accepted');

    expect(await eventually(counts, (c) => c.clicks === 1 && c.conversions === 1)).toEqual({
      clicks: 1,
      conversions: 1,
    });
    const { rows: clickRows } = await db.query(
      'SELECT id, offer_id, affiliate_id, sub1, outcome FROM clicks',
    );
    expect(clickRows).toEqual([
      { id: clickId, offer_id: 1, affiliate_id: 1, sub1: 'e2e', outcome: 'redirect' },
    ]);
    const { rows: conversionRows } = await db.query(
      'SELECT id, click_id, amount_minor, payout_minor, revenue_minor, txid, status FROM conversions',
    );
    expect(conversionRows).toEqual([
      {
        id: accepted.conversion_id,
        click_id: clickId,
        amount_minor: '4990',
        payout_minor: '1500',
        revenue_minor: '2500',
        txid: 'E2E-1',
        status: 'approved',
      },
    ]);

    // The same signed batches again, byte for byte: nothing changes.
    const batches = recorder.recorded.filter((r) => r.path === '/internal/ingest' && r.status === 200);
    expect(batches.length).toBeGreaterThan(0);
    for (const batch of batches) {
      const replay = await fetch(`${stack.urls.api}/internal/ingest`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-tas-signature': String(batch.headers['x-tas-signature']),
        },
        body: batch.body,
      });
      expect(replay.status).toBe(200);
      expect(await replay.json()).toMatchObject({ clicksInserted: 0, conversionsInserted: 0 });
    }
    // And the advertiser retrying the same postback is told it is a duplicate.
    const retry = await fetch(`${stack.urls.edge}/postback?click_id=${clickId}&amount=49.90&txid=E2E-1`);
    expect(await retry.json()).toEqual({ status: 'duplicate' });
    await new Promise((r) => setTimeout(r, 3000));
    expect(await counts()).toEqual({ clicks: 1, conversions: 1 });
  });

  it('answers bad input with clear errors and writes nothing', async () => {
    const before = await counts();
    const unknown = await fetch(`${stack.urls.edge}/c/999?aff_id=1`, { redirect: 'manual' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('unknown_offer');

    const forged = await fetch(`${stack.urls.edge}/postback?click_id=${'A'.repeat(44)}`);
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe('invalid_click_id');

    const batch = JSON.stringify({ events: [{ type: 'click' }] });
    const unsigned = await fetch(`${stack.urls.api}/internal/ingest`, {
      method: 'POST',
      headers: { 'x-tas-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
      body: batch,
    });
    expect(unsigned.status).toBe(401);

    const { signBody } = await import('@tas/shared/signature');
    const signed = async (body: string) =>
      fetch(`${stack.urls.api}/internal/ingest`, {
        method: 'POST',
        headers: {
          'x-tas-signature': await signBody(stack.secrets.INGEST_SIGNING_SECRET, '/internal/ingest', body),
        },
        body,
      });
    // Not a batch at all: refused whole.
    const malformed = await signed(JSON.stringify({ events: { type: 'click' } }));
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { error: { code: string } }).error.code).toBe('invalid_request');
    // A batch whose only event is invalid: that event is quarantined with its reason, nothing stored.
    const invalid = await signed(batch);
    expect(invalid.status).toBe(200);
    expect(await invalid.json()).toMatchObject({ received: 1, clicksInserted: 0, quarantined: 1 });
    const [quarantined] = (
      await db.query<{ reason_code: string; reason: string }>(
        `SELECT reason_code, reason FROM ingest_quarantine WHERE body = '{"type":"click"}'`,
      )
    ).rows;
    expect(quarantined?.reason_code).toBe('invalid_event');

    await new Promise((r) => setTimeout(r, 2500));
    expect(await counts()).toEqual(before);
  });
});
