import { data } from 'react-router';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { AdminInvoices } from '~/components/invoices/admin-invoices';
import { AdvertiserInvoices } from '~/components/invoices/advertiser-invoices';
import { previewInvoicing, runInvoicing } from '~/components/invoices/invoices-actions.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import type { Route } from './+types/_app.invoices';

export function meta() {
  return [{ title: 'Invoices · TAS' }];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const afterParam = (value: string | null) => (value && UUID.test(value) ? value : undefined);

/** The month before `now`, as `2026-11` (UTC): the statement most asked for. */
function monthBefore(now: Date): string {
  const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return month.toISOString().slice(0, 7);
}

/**
 * Invoices (decision 025). An advertiser sees its invoices with Stripe's page to pay them on and
 * each period's statement; an admin previews and runs invoicing and sees every invoice.
 * Affiliates are invoiced nothing: refused.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const after = afterParam(new URL(request.url).searchParams.get('after'));
  const query = { limit: 25, ...(after ? { after } : {}) };
  const [invoices, balances] = await Promise.all([
    api.GET('/api/v1/invoices', { params: { query } }),
    viewer.role === 'advertiser'
      ? api.GET('/api/v1/ledger/balances', { params: { query: { limit: 50, kind: 'advertiser' } } })
      : null,
  ]);
  if (!invoices.data)
    throw data(
      { message: apiMessage(invoices.error, 'The invoices could not be loaded.') },
      { status: invoices.response.status },
    );
  if (viewer.role === 'advertiser')
    return {
      role: 'advertiser' as const,
      advertiserId: viewer.advertiserId ?? 0,
      invoices: invoices.data.data,
      next: invoices.data.nextAfter,
      currencies: [...new Set((balances?.data?.data ?? []).map((b) => b.currency))].sort(),
      lastMonth: monthBefore(new Date()),
    };
  return { role: 'admin' as const, invoices: invoices.data.data, next: invoices.data.nextAfter };
}

export async function action({ request, context }: Route.ActionArgs) {
  const auth = requireRole(authOf(context), 'admin', 'advertiser');
  if (auth.viewer.role !== 'admin') throw data({ message: 'Only admins run invoicing.' }, { status: 403 });
  const intent = String((await request.formData()).get('intent') ?? '');
  if (intent === 'preview') return previewInvoicing(auth);
  if (intent === 'run') return runInvoicing(auth, request);
  throw data({ message: 'Unknown action.' }, { status: 400 });
}

export default function InvoicesPage({ loaderData, actionData }: Route.ComponentProps) {
  if (loaderData.role === 'advertiser')
    return (
      <AdvertiserInvoices
        advertiserId={loaderData.advertiserId}
        invoices={loaderData.invoices}
        next={loaderData.next}
        currencies={loaderData.currencies}
        lastMonth={loaderData.lastMonth}
      />
    );
  return (
    <AdminInvoices
      invoices={loaderData.invoices}
      next={loaderData.next}
      preview={actionData && 'decisions' in actionData ? actionData : null}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
