import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { parseDecimalAmount } from '@tas/shared/minor-units';
import { data } from 'react-router';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { type Auth, requireRole } from '~/lib/auth.server';
import { type ChangeOutcome, changeSchema, splitTxids } from './change-schema';

export type ChangeReply = { reply: SubmissionResult<string[]>; outcome: ChangeOutcome | null };

function minor(value: string | undefined, currency: string): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseDecimalAmount(value, currency);
  return parsed.ok ? parsed.amountMinor : undefined;
}

/**
 * Reviews conversions through POST /api/v1/conversions/changes: "preview" is the API's dry run
 * (nothing changes, the answer says how many would), "apply" sends the same change for real.
 * Advertisers and admins only; the API scopes which conversions each may change.
 */
export async function changeConversions(auth: Auth, request: Request) {
  const { api, viewer } = requireRole(auth, 'advertiser', 'admin');
  const submission = parseWithZod(await request.formData(), { schema: changeSchema(viewer.role) });
  if (submission.status !== 'success') {
    return data<ChangeReply>({ reply: submission.reply(), outcome: null }, { status: 400 });
  }
  const form = submission.value;
  const body: Schemas['ConversionChangeRequest'] = {
    action: form.action,
    dryRun: form.intent === 'preview',
    ...(form.mode === 'ids'
      ? { conversionIds: form.conversionIds ?? [] }
      : { txids: splitTxids(form.txids), offerId: Number(form.offerId) }),
    ...(form.reason ? { reason: form.reason } : {}),
  };
  if (form.action === 'adjust') {
    const payoutMinor = viewer.role === 'admin' ? minor(form.payout, form.currency) : undefined;
    const revenueMinor = minor(form.revenue, form.currency);
    if (payoutMinor !== undefined) body.payoutMinor = payoutMinor;
    if (revenueMinor !== undefined) body.revenueMinor = revenueMinor;
  }
  const { data: result, error, response } = await api.POST('/api/v1/conversions/changes', { body });
  if (!result) {
    return data<ChangeReply>(
      {
        reply: submission.reply({
          formErrors: [apiMessage(error, 'The change could not be made. Try again.')],
        }),
        outcome: null,
      },
      { status: response.status },
    );
  }
  return data<ChangeReply>({
    // An applied change resets the form; a preview keeps what was typed for the apply that follows.
    reply: submission.reply(form.intent === 'apply' ? { resetForm: true } : {}),
    outcome: { intent: form.intent, action: form.action, matched: result.matched, changed: result.changed },
  });
}
