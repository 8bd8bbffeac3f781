import { data, redirect } from 'react-router';
import { apiMessage } from '~/lib/api-errors';
import type { Auth } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { InvoiceDecision } from './labels';

/** The dry run's answer: who would be invoiced what, and who has nothing due. */
export type PreviewAnswer = {
  intent: 'preview';
  ok: boolean;
  message: string | null;
  decisions: InvoiceDecision[];
};

/** A dry run (admins): nothing is recorded, nothing goes to Stripe. */
export async function previewInvoicing({ api }: Auth) {
  const {
    data: result,
    error,
    response,
  } = await api.POST('/api/v1/invoices/run', { body: { dryRun: true } });
  if (!result)
    return data<PreviewAnswer>(
      {
        intent: 'preview',
        ok: false,
        message: apiMessage(error, 'Invoicing could not be previewed.'),
        decisions: [],
      },
      { status: response.status },
    );
  return data<PreviewAnswer>({ intent: 'preview', ok: true, message: null, decisions: result.decisions });
}

/**
 * The run itself, confirmed in a dialog: back to the list with a toast saying how many invoices
 * went to Stripe, or what stopped them (the next run, hourly or by hand, resumes).
 */
export async function runInvoicing({ api }: Auth, request: Request) {
  const {
    data: result,
    error,
    response,
  } = await api.POST('/api/v1/invoices/run', { body: { dryRun: false } });
  if (!result)
    return data(
      { ok: false, message: apiMessage(error, 'Invoicing could not be run.') },
      { status: response.status },
    );
  const sent = result.issued.filter((r) => !r.failure).length;
  const failed = result.issued.filter((r) => r.failure);
  const message =
    failed.length > 0
      ? `${sent} invoice${sent === 1 ? '' : 's'} sent; ${failed.length} stopped at Stripe (${failed[0]?.failure}). Run again to resume.`
      : sent === 0
        ? 'Nobody was due an invoice: nothing was sent.'
        : `${sent} invoice${sent === 1 ? '' : 's'} sent through Stripe.`;
  throw redirect('/invoices', {
    headers: {
      'set-cookie': await flashToast(request, { kind: failed.length > 0 ? 'error' : 'success', message }),
    },
  });
}
