import { MAX_ENTITY_ID } from '@tas/shared/ids';
import { z } from 'zod';
import { parseMoneyText, parsePercentText } from './amounts';
import type { PayoutType } from './offer-text';

/**
 * An affiliate's payout on an offer, typed in the unit of the offer's payout type (a percentage
 * for revshare, money in the offer's currency otherwise), as PayoutOverrideRequest wants it.
 */
export function payoutOverrideSchema(offer: { payoutType: PayoutType; currency: string }) {
  return z
    .object({
      affiliateId: z
        .number('Choose the affiliate')
        .int('Choose the affiliate')
        .min(1, 'Choose the affiliate')
        .max(MAX_ENTITY_ID, 'No affiliate has this id'),
      amount: z.string('Enter the payout'),
    })
    .transform((value, ctx) => {
      const revshare = offer.payoutType === 'revshare';
      const parsed = revshare ? parsePercentText(value.amount) : parseMoneyText(value.amount, offer.currency);
      if (!parsed.ok) {
        ctx.addIssue({ code: 'custom', path: ['amount'], message: parsed.message });
        return z.NEVER;
      }
      return {
        affiliateId: value.affiliateId,
        body: revshare
          ? { payoutMinor: 0, payoutBps: parsed.value }
          : { payoutMinor: parsed.value, payoutBps: 0 },
      };
    });
}
