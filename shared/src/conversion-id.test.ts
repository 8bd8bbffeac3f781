import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conversionIdFor } from './conversion-id.ts';

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
});
