import { z } from 'zod';
import type { Schemas } from '~/lib/api.server';

const ID = /^[1-9]\d{0,9}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The most one bulk replay re-queues (the API's limit). */
export const MAX_BULK_REPLAY = 10_000;

/**
 * A bulk replay as the dialog sends it, with the API's rules (postback-bulk-replay of the control
 * plane): failed and disabled deliveries (delivered too, for admins), narrowed by postback,
 * affiliate, offer and days (UTC); "preview" is the dry run, "apply" re-queues.
 */
export function bulkReplaySchema(role: 'admin' | 'advertiser' | 'affiliate') {
  return z
    .object({
      step: z.enum(['preview', 'apply']).default('preview'),
      states: z
        .array(z.enum(['failed', 'disabled', 'delivered']), 'Pick what to replay')
        .min(1, 'Pick what to replay'),
      postbackConfigId: z.string().regex(ID).optional(),
      affiliateId: z.string().regex(ID).optional(),
      offerId: z.string().regex(ID).optional(),
      from: z.string().regex(DAY).optional(),
      to: z.string().regex(DAY).optional(),
      limit: z.coerce
        .number()
        .int()
        .min(1, 'At least 1')
        .max(MAX_BULK_REPLAY, `At most ${MAX_BULK_REPLAY}`)
        .optional(),
    })
    .superRefine((value, ctx) => {
      if (role !== 'admin' && value.states.includes('delivered')) {
        ctx.addIssue({
          code: 'custom',
          path: ['states'],
          message: 'Only the network sends delivered ones again',
        });
      }
      if (value.from && value.to && value.from > value.to) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'The last day is before the first' });
      }
    });
}

export type BulkReplayOutcome = Schemas['PostbackBulkReplayResult'] & { step: 'preview' | 'apply' };
