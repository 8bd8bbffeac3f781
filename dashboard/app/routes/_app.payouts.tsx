import { data } from 'react-router';
import { outcome } from '~/components/admin/outcome.server';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { AdminPayouts } from '~/components/payouts/admin-payouts';
import { AffiliatePayouts } from '~/components/payouts/affiliate-payouts';
import {
  openStripeOnboarding,
  payRun,
  planRun,
  resumeRun,
  saveMethod,
  saveNetworkSettings,
} from '~/components/payouts/payouts-actions.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import type { Route } from './+types/_app.payouts';

export function meta() {
  return [{ title: 'Payouts · TAS' }];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const afterParam = (value: string | null) => (value && UUID.test(value) ? value : undefined);

/**
 * Payouts (decision 023). An affiliate sees what it was paid, with each payout's statement, and
 * chooses how it is paid; an admin plans and pays runs, resumes interrupted ones and sets the
 * network's payout defaults. Advertisers are paid nothing: refused.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = requireRole(authOf(context), 'admin', 'affiliate');
  const { api, viewer } = auth;
  const after = afterParam(new URL(request.url).searchParams.get('after'));
  if (viewer.role === 'affiliate') {
    const affiliateId = String(viewer.affiliateId ?? '');
    const [payouts, settings] = await Promise.all([
      api.GET('/api/v1/payouts', { params: { query: { limit: 25, ...(after ? { after } : {}) } } }),
      api.GET('/api/v1/payout-settings/affiliates/{affiliateId}', { params: { path: { affiliateId } } }),
    ]);
    if (!payouts.data)
      throw data(
        { message: apiMessage(payouts.error, 'Your payouts could not be loaded.') },
        { status: payouts.response.status },
      );
    return {
      role: 'affiliate' as const,
      payouts: payouts.data.data,
      next: payouts.data.nextAfter,
      settings: settings.data ?? null,
    };
  }
  const [runs, settings] = await Promise.all([
    api.GET('/api/v1/payout-runs', { params: { query: { limit: 25, ...(after ? { after } : {}) } } }),
    api.GET('/api/v1/payout-settings/network'),
  ]);
  if (!runs.data)
    throw data(
      { message: apiMessage(runs.error, 'The payout runs could not be loaded.') },
      { status: runs.response.status },
    );
  return {
    role: 'admin' as const,
    runs: runs.data.data,
    next: runs.data.nextAfter,
    settings: settings.data ?? null,
  };
}

const ADMIN_INTENTS = ['plan', 'pay', 'resume', 'network-settings'];

export async function action({ request, context }: Route.ActionArgs) {
  const auth = requireRole(authOf(context), 'admin', 'affiliate');
  const form = await request.formData();
  const intent = String(form.get('intent') ?? '');
  if (auth.viewer.role === 'affiliate') {
    if (intent === 'method') return saveMethod(auth, form, request);
    if (intent === 'stripe-onboarding') return openStripeOnboarding(auth, request);
    throw data({ message: 'Only admins run payouts.' }, { status: 403 });
  }
  if (!ADMIN_INTENTS.includes(intent))
    throw data({ message: 'Affiliates choose their own payout method.' }, { status: 403 });
  if (intent === 'plan') return planRun(auth, form);
  if (intent === 'pay') return payRun(auth, form, request);
  if (intent === 'resume') {
    const answer = await resumeRun(auth, form);
    return outcome(request, answer.ok, answer.message, answer.status);
  }
  return saveNetworkSettings(auth, form, request);
}

export default function PayoutsPage({ loaderData, actionData }: Route.ComponentProps) {
  if (loaderData.role === 'affiliate')
    return (
      <AffiliatePayouts
        payouts={loaderData.payouts}
        next={loaderData.next}
        settings={loaderData.settings}
        answer={actionData && 'fieldErrors' in actionData ? actionData : null}
      />
    );
  return (
    <AdminPayouts
      runs={loaderData.runs}
      next={loaderData.next}
      settings={loaderData.settings}
      plan={actionData && 'paid' in actionData ? actionData : null}
      answer={actionData && 'fieldErrors' in actionData ? actionData : null}
    />
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
