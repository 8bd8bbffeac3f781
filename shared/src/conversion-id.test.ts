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

  it('gives a status update of a conversion one id per (conversion, status)', async () => {
    const conversion = await conversionIdFor({ offerId: 1, event: 'sale', txid: 'T1' });
    const approved = await statusUpdateIdFor(conversion, 'approved');
    expect(z.uuid().safeParse(approved).success).toBe(true);
    expect(await statusUpdateIdFor(conversion, 'approved')).toBe(approved);
    expect(await statusUpdateIdFor(conversion, 'rejected')).not.toBe(approved);
    expect(approved).not.toBe(conversion);
  });
});
