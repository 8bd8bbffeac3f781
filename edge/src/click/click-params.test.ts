import { entityIdParamSchema } from '@tas/shared/ids';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseClickParams } from './click-params.ts';

describe('parseClickParams', () => {
  it('reads ids exactly as the shared id schema does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.nat().map(String),
          fc.constantFrom(
            '0',
            '01',
            '2147483647',
            '2147483648',
            '4294967295',
            '4294967296',
            '1e3',
            ' 1',
            '-1',
          ),
        ),
        (text) => {
          const viaSchema = entityIdParamSchema.safeParse(text);
          const parsed = parseClickParams(text, text, {});
          expect(parsed.offerId).toBe(viaSchema.success ? viaSchema.data : null);
          expect(parsed.affiliateId).toBe(viaSchema.success ? viaSchema.data : null);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes the first non-empty value among aliases, in the contract order', () => {
    const parsed = parseClickParams('1', undefined, {
      aff_sub: 'b',
      sub1: '',
      affiliate_id: '9',
      aff_id: '',
    });
    expect(parsed.sub1).toBe('b');
    expect(parsed.affiliateId).toBe(9);
  });
});
