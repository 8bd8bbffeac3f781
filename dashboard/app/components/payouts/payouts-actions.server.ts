import { parseDecimalAmount } from '@tas/shared/minor-units';
import { data, redirect } from 'react-router';
import { z } from 'zod';
import { apiMessage } from '~/lib/api-errors';
import type { Auth } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { PayoutLine } from './labels';

/** A form's answer: errors per field (shown beside it) and the API's refusal (above the button). */
export type FormAnswer = {
  intent: 'method' | 'network-settings';
  ok: boolean;
  fieldErrors: Record<string, string>;
  formError: string | null;
};

const methodSchema = z
  .object({
    method: z.enum(['stripe_connect', 'paypal', 'bank_transfer', '']).catch('' as const),
    paypalEmail: z.string().trim().max(254, 'At most 254 characters.').optional(),
  })
  .superRefine((value, ctx) => {
    if (value.method !== 'paypal') return;
    if (!value.paypalEmail)
      ctx.addIssue({
        code: 'custom',
        path: ['paypalEmail'],
        message: 'Enter the email of your PayPal account.',
      });
    else if (!z.email().safeParse(value.paypalEmail).success)
      ctx.addIssue({ code: 'custom', path: ['paypalEmail'], message: 'Enter a valid email address.' });
  });

function fieldErrorsOf(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? '');
    errors[key] ??= issue.message;
  }
  return errors;
}

/** An affiliate chooses how it is paid (its own settings; the API checks it is its own). */
export async function saveMethod({ api, viewer }: Auth, form: FormData, request: Request) {
  const affiliateId = String(viewer.affiliateId ?? '');
  const parsed = methodSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success)
    return data<FormAnswer>(
      { intent: 'method', ok: false, fieldErrors: fieldErrorsOf(parsed.error), formError: null },
      { status: 400 },
    );
  const { method, paypalEmail } = parsed.data;
  const {
    data: saved,
    error,
    response,
  } = await api.PUT('/api/v1/payout-settings/affiliates/{affiliateId}', {
    params: { path: { affiliateId } },
    body: {
      method: method === '' ? null : method,
      ...(method === 'paypal' ? { paypalEmail: paypalEmail ?? null } : {}),
    },
  });
  if (!saved)
    return data<FormAnswer>(
      {
        intent: 'method',
        ok: false,
        fieldErrors: {},
        formError: apiMessage(error, 'Your payout method could not be saved.'),
      },
      { status: response.status },
    );
  return data<FormAnswer>(
    { intent: 'method', ok: true, fieldErrors: {}, formError: null },
    {
      headers: {
        'set-cookie': await flashToast(request, { kind: 'success', message: 'Payout method saved.' }),
      },
    },
  );
}

/** Stripe's onboarding: the URL comes from the API (Stripe's), never from the request. */
export async function openStripeOnboarding({ api, viewer }: Auth, request: Request) {
  const affiliateId = String(viewer.affiliateId ?? '');
  const {
    data: link,
    error,
    response,
  } = await api.POST('/api/v1/payout-settings/affiliates/{affiliateId}/stripe-onboarding', {
    params: { path: { affiliateId } },
  });
  if (!link?.url) {
    const message =
      response.status === 503
        ? 'Stripe payouts are not available on this network right now.'
        : apiMessage(error, 'The Stripe setup could not be opened. Try again in a moment.');
    throw redirect('/payouts', {
      headers: { 'set-cookie': await flashToast(request, { kind: 'error', message }) },
    });
  }
  throw redirect(link.url);
}

const scheduleSchema = z.enum(['weekly', 'monthly']);

/** Who a run is for: everyone (no schedule) or the affiliates on one schedule. */
export function runSchedule(form: FormData): 'weekly' | 'monthly' | undefined {
  const parsed = scheduleSchema.safeParse(form.get('schedule'));
  return parsed.success ? parsed.data : undefined;
}

export type PlanAnswer = {
  intent: 'plan';
  ok: boolean;
  message: string | null;
  schedule: 'weekly' | 'monthly' | null;
  cutoff: string | null;
  paid: PayoutLine[];
  skipped: PayoutLine[];
};

/** A dry run: who would be paid what, who is skipped and why; nothing moves. */
export async function planRun({ api }: Auth, form: FormData) {
  const schedule = runSchedule(form);
  const {
    data: result,
    error,
    response,
  } = await api.POST('/api/v1/payout-runs', {
    body: { dryRun: true, ...(schedule ? { schedule } : {}) },
  });
  if (!result)
    return data<PlanAnswer>(
      {
        intent: 'plan',
        ok: false,
        message: apiMessage(error, 'The payout could not be planned.'),
        schedule: schedule ?? null,
        cutoff: null,
        paid: [],
        skipped: [],
      },
      { status: response.status },
    );
  return data<PlanAnswer>({
    intent: 'plan',
    ok: true,
    message: null,
    schedule: schedule ?? null,
    cutoff: result.cutoff,
    paid: result.paid,
    skipped: result.skipped,
  });
}

/**
 * The run itself (dryRun false), confirmed in a dialog: on success the browser goes to the run,
 * where its payouts are listed, with a toast saying how many were paid.
 */
export async function payRun({ api }: Auth, form: FormData, request: Request) {
  const schedule = runSchedule(form);
  const {
    data: result,
    error,
    response,
  } = await api.POST('/api/v1/payout-runs', {
    body: { dryRun: false, ...(schedule ? { schedule } : {}) },
  });
  if (!result)
    return data(
      { ok: false, message: apiMessage(error, 'The payout could not be started.') },
      { status: response.status },
    );
  if (!result.run)
    return data(
      { ok: false, message: 'Nobody is due a payout right now: nothing was paid.' },
      { status: 409 },
    );
  const count = new Set(result.paid.map((line) => line.affiliateId)).size;
  const message =
    result.run.status === 'interrupted'
      ? `The run was interrupted: ${result.run.lastError ?? 'a processor could not be reached'}. Resume it when it is back.`
      : `Paid ${count} affiliate${count === 1 ? '' : 's'}.`;
  throw redirect(`/payouts/runs/${result.run.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: result.run.status === 'interrupted' ? 'error' : 'success',
        message,
      }),
    },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Resumes an interrupted run: the API pays nobody twice (decision 023). */
export async function resumeRun({ api }: Auth, form: FormData) {
  const runId = String(form.get('runId') ?? '');
  if (!UUID.test(runId)) return { ok: false, message: 'No such run.', status: 400 };
  const {
    data: run,
    error,
    response,
  } = await api.POST('/api/v1/payout-runs/{id}/resume', {
    params: { path: { id: runId } },
  });
  if (!run)
    return {
      ok: false,
      message: apiMessage(error, 'The run could not be resumed.'),
      status: response.status,
    };
  return run.status === 'interrupted'
    ? {
        ok: false,
        message: `Still interrupted: ${run.lastError ?? 'a processor could not be reached'}.`,
        status: 502,
      }
    : { ok: true, message: 'The run was resumed.', status: 200 };
}

const intField = (min: number, max: number, message: string) =>
  z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);

const networkSchema = z.object({
  automatic: z.literal('on').optional(),
  schedule: scheduleSchema.catch('weekly'),
  weeklyDay: intField(1, 7, 'Choose a weekday.'),
  monthlyDay: intField(1, 28, 'Choose a day from 1 to 28.'),
  defaultMinimum: z.string().trim().min(1, 'Enter a minimum, 0 for none.'),
  holdDays: intField(0, 365, 'Enter 0 to 365 days.'),
});

/** The network's payout defaults (admins); per-currency minimums stay as they are. */
export async function saveNetworkSettings({ api }: Auth, form: FormData, request: Request) {
  const parsed = networkSchema.safeParse(Object.fromEntries(form));
  const fieldErrors = parsed.success ? {} : fieldErrorsOf(parsed.error);
  // Minor units of a two-decimal currency: the default minimum applies to every currency without its own.
  const minimum = parseDecimalAmount(String(form.get('defaultMinimum') ?? '').trim(), 'USD');
  if (!minimum.ok || minimum.amountMinor < 0)
    fieldErrors.defaultMinimum ??= 'Enter an amount such as 50.00, or 0 for none.';
  if (!parsed.success || !minimum.ok || Object.keys(fieldErrors).length > 0)
    return data<FormAnswer>(
      { intent: 'network-settings', ok: false, fieldErrors, formError: null },
      { status: 400 },
    );
  const current = await api.GET('/api/v1/payout-settings/network');
  if (!current.data)
    return data<FormAnswer>(
      {
        intent: 'network-settings',
        ok: false,
        fieldErrors: {},
        formError: apiMessage(current.error, 'The payout settings could not be read.'),
      },
      { status: current.response.status },
    );
  const {
    data: saved,
    error,
    response,
  } = await api.PUT('/api/v1/payout-settings/network', {
    body: {
      automatic: parsed.data.automatic === 'on',
      schedule: parsed.data.schedule,
      weeklyDay: parsed.data.weeklyDay,
      monthlyDay: parsed.data.monthlyDay,
      defaultMinimumMinor: minimum.amountMinor,
      minimumByCurrency: current.data.minimumByCurrency,
      holdDays: parsed.data.holdDays,
    },
  });
  if (!saved)
    return data<FormAnswer>(
      {
        intent: 'network-settings',
        ok: false,
        fieldErrors: {},
        formError: apiMessage(error, 'The payout settings could not be saved.'),
      },
      { status: response.status },
    );
  return data<FormAnswer>(
    { intent: 'network-settings', ok: true, fieldErrors: {}, formError: null },
    {
      headers: {
        'set-cookie': await flashToast(request, { kind: 'success', message: 'Payout settings saved.' }),
      },
    },
  );
}
