import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conversionIdFor, statusUpdateIdFor } from './conversion-id.ts';

describe('conversionIdFor', () => {
  it('derives the same valid UUID for the same (offer, event, txid) and different ones otherwise', async () => {
    const a = await conversionIdFor({ offerId: 1, event: 'sale', txid: 'T1' });
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(await conversionIdFor({ offerId: 1, event: 'sale', txid: 'T1' })).toBe(a);
    expect(await conversionIdFor({ offerId: 2, event: 'sale', txid: 'T1' })).not.toBe(a);
    expect(await conversionIdFor({ offerId: 1, event: 'lead', txid: 'T1' })).not.toBe(a);
    expect(await conversionIdFor({ offerId: 1, event: 'sale', txid: 'T2' })).not.toBe(a);
  });

  it('is random without a txid', async () => {
    const a = await conversionIdFor({ offerId: 1, event: 'sale', txid: null });
    expect(await conversionIdFor({ offerId: 1, event: 'sale', txid: null })).not.toBe(a);
  });

  it('gives a status update one id per conversion, status, click and time', async () => {
    const conversionId = await conversionIdFor({ offerId: 1, event: 'sale', txid: 'T1' });
    const base = { conversionId, status: 'approved', clickId: 'C1', occurredAt: '2026-11-29T10:00:00.000Z' };
    const approved = await statusUpdateIdFor(base);
    expect(z.uuid().safeParse(approved).success).toBe(true);
    expect(await statusUpdateIdFor(base)).toBe(approved);
    for (const other of [
      { ...base, status: 'rejected' },
      { ...base, clickId: 'C2' },
      // Approved again after a chargeback is a change of its own.
      { ...base, occurredAt: '2026-11-29T11:00:00.000Z' },
    ])
      expect(await statusUpdateIdFor(other)).not.toBe(approved);
    expect(approved).not.toBe(conversionId);
  });
});
