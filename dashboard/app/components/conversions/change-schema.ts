import { parseDecimalAmount } from '@tas/shared/minor-units';
import { z } from 'zod';
import { CHANGE_ACTION_NAMES } from './conversion-text';

/** Most txids one change takes (the API's own limit). */
export const MAX_TXIDS = 10_000;

const MONEY_ERRORS = {
  invalid_amount: 'Enter an amount like 12.50',
  too_many_decimals: 'Too many decimals for this currency',
  out_of_range: 'That amount is too large',
} as const;

/** Txids pasted one a line (or separated by commas, spaces or tabs), without repeats. */
export function splitTxids(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(/[\s,;]+/)
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ];
}

function checkAmount(value: string | undefined, currency: string, path: string, ctx: z.RefinementCtx) {
  if (value === undefined) return;
  const parsed = parseDecimalAmount(value, currency);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', path: [path], message: MONEY_ERRORS[parsed.error] });
  else if (parsed.amountMinor < 0) ctx.addIssue({ code: 'custom', path: [path], message: 'Not below zero' });
}

/**
 * A review change as the dialog sends it, with the API's own rules (conversion-schemas.ts of the
 * control plane): conversions by id, or txids of one offer; reverse and adjust need a reason;
 * adjust needs an amount; advertisers adjust revenue only. Parsed in the browser for instant
 * errors and again on the server.
 */
export function changeSchema(role: 'admin' | 'advertiser' | 'affiliate') {
  return z
    .object({
      intent: z.enum(['preview', 'apply']).default('preview'),
      action: z.enum(CHANGE_ACTION_NAMES),
      mode: z.enum(['ids', 'txids']),
      conversionIds: z.array(z.uuid()).max(MAX_TXIDS).optional(),
      txids: z.string().max(300_000).optional(),
      offerId: z
        .string()
        .regex(/^[1-9]\d{0,9}$/, 'Pick the offer of these orders')
        .optional(),
      currency: z.string().regex(/^[A-Z]{3}$/),
      payout: z.string().trim().max(20).optional(),
      revenue: z.string().trim().max(20).optional(),
      reason: z.string().trim().max(500, 'At most 500 characters').optional(),
    })
    .superRefine((value, ctx) => {
      if (value.mode === 'ids' && (value.conversionIds ?? []).length === 0) {
        ctx.addIssue({ code: 'custom', path: ['conversionIds'], message: 'Select conversions first' });
      }
      if (value.mode === 'txids') {
        const txids = splitTxids(value.txids);
        if (txids.length === 0)
          ctx.addIssue({ code: 'custom', path: ['txids'], message: 'Paste at least one txid' });
        if (txids.length > MAX_TXIDS) {
          ctx.addIssue({ code: 'custom', path: ['txids'], message: `At most ${MAX_TXIDS} txids at once` });
        }
        if (txids.some((t) => t.length > 255)) {
          ctx.addIssue({ code: 'custom', path: ['txids'], message: 'A txid has at most 255 characters' });
        }
        if (!value.offerId)
          ctx.addIssue({ code: 'custom', path: ['offerId'], message: 'Pick the offer of these orders' });
      }
      if ((value.action === 'reverse' || value.action === 'adjust') && !value.reason) {
        ctx.addIssue({ code: 'custom', path: ['reason'], message: 'Say why (kept in the change log)' });
      }
      if (value.action === 'adjust') {
        if (role !== 'admin' && value.payout !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['payout'], message: 'Only the network changes payouts' });
        }
        if (value.payout === undefined && value.revenue === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: [role === 'admin' ? 'payout' : 'revenue'],
            message: role === 'admin' ? 'Enter a new payout or revenue' : 'Enter the new revenue',
          });
        }
        checkAmount(value.payout, value.currency, 'payout', ctx);
        checkAmount(value.revenue, value.currency, 'revenue', ctx);
      }
    });
}

export type ChangeForm = z.output<ReturnType<typeof changeSchema>>;

/** What a preview or an applied change answered. */
export type ChangeOutcome = {
  intent: 'preview' | 'apply';
  action: ChangeForm['action'];
  matched: number;
  changed: number;
};
