import {
  BarChart3Icon,
  CheckCircle2Icon,
  ClipboardCheckIcon,
  HourglassIcon,
  PauseCircleIcon,
  PlayCircleIcon,
  ReceiptIcon,
  SendIcon,
  ShieldOffIcon,
} from 'lucide-react';
import { useEffect } from 'react';
import { data, redirect } from 'react-router';
import { toast } from 'sonner';
import {
  changeCompanyStatus,
  type FormActionData,
  saveCompanyProfile,
  savePaymentDetails,
} from '~/components/admin/company.server';
import { CompanyProfileCard, PaymentDetailsCard } from '~/components/admin/company-forms';
import { hostOf } from '~/components/admin/company-list';
import { BackLink, JumpTile, LoginsCard } from '~/components/admin/company-page';
import { outcome } from '~/components/admin/outcome.server';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Alert } from '~/components/ui/misc';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatDate } from '~/lib/format';
import type { Route } from './+types/_app.affiliates.$id';

export function meta({ loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.affiliate.companyName ?? 'Affiliate'} · Affiliates · TAS` }];
}

const ID = /^[1-9]\d{0,9}$/;

export async function loader({ params, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  if (auth.viewer.role === 'affiliate') throw redirect('/settings/company');
  const { api } = requireRole(auth, 'admin');
  if (!ID.test(params.id)) throw data({ message: 'No such affiliate.' }, { status: 404 });
  const id = params.id;
  const [affiliate, payment, users] = await Promise.all([
    api.GET('/api/v1/affiliates/{id}', { params: { path: { id } } }),
    api.GET('/api/v1/affiliates/{id}/payment-details', { params: { path: { id } } }),
    api.GET('/api/v1/users'),
  ]);
  if (!affiliate.data)
    throw data(
      { message: apiMessage(affiliate.error, 'No such affiliate.') },
      { status: affiliate.response.status },
    );
  return {
    affiliate: affiliate.data,
    paymentDetails: payment.data?.paymentDetails ?? null,
    users: (users.data?.data ?? []).filter((u) => u.affiliateId === affiliate.data.id),
  };
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  if (!ID.test(params.id)) throw data({ message: 'No such affiliate.' }, { status: 404 });
  const formData = await request.formData();
  const intent = formData.get('intent');
  if (intent === 'status') {
    const changed = await changeCompanyStatus(api, 'affiliate', params.id, String(formData.get('status')));
    return outcome(request, changed.ok, changed.message);
  }
  if (intent === 'payment') return savePaymentDetails(api, params.id, formData);
  return saveCompanyProfile(api, 'affiliate', params.id, formData);
}

/**
 * Approve / decline a pending affiliate, suspend an active one, reactivate a suspended one. The
 * main action keeps its place (and its request) as the status it changes changes.
 */
function StatusActions({ name, status }: { name: string; status: 'pending' | 'active' | 'suspended' }) {
  const stop = status !== 'suspended';
  const declining = status === 'pending';
  return (
    <>
      {declining ? (
        <ConfirmAction
          trigger={
            <Button variant="outline" className="text-destructive hover:text-destructive">
              <PauseCircleIcon /> Decline
            </Button>
          }
          title={`Decline ${name}?`}
          description="It stays unable to send traffic, and its users are signed out and refused by the API. You can reactivate it later. Nothing is deleted."
          confirmLabel="Decline affiliate"
          destructive
          fields={{ intent: 'status', status: 'suspended' }}
        />
      ) : null}
      {stop && !declining ? (
        <ConfirmAction
          trigger={
            <Button variant="outline" className="text-destructive hover:text-destructive">
              <PauseCircleIcon /> Suspend
            </Button>
          }
          title={`Suspend ${name}?`}
          description="The edge refuses its clicks from now on (its visitors go to each offer's fallback), and its users are signed out and refused by the API until you reactivate it. Conversions of clicks it already sent are still recorded. Nothing is deleted."
          confirmLabel="Suspend affiliate"
          destructive
          fields={{ intent: 'status', status: 'suspended' }}
        />
      ) : (
        <ConfirmAction
          trigger={
            <Button>
              {declining ? <CheckCircle2Icon /> : <PlayCircleIcon />}
              {declining ? 'Approve' : 'Reactivate'}
            </Button>
          }
          title={declining ? `Approve ${name}?` : `Reactivate ${name}?`}
          description={
            declining
              ? 'It becomes active: its tracking links send traffic at once, on public offers and on those it is approved for.'
              : 'Its tracking links send traffic again, and its users can sign in and use their API keys.'
          }
          confirmLabel={declining ? 'Approve affiliate' : 'Reactivate'}
          fields={{ intent: 'status', status: 'active' }}
        />
      )}
    </>
  );
}

export default function AffiliatePage({ loaderData, actionData }: Route.ComponentProps) {
  const { affiliate, paymentDetails, users } = loaderData;
  const form = actionData && 'intent' in actionData ? (actionData as FormActionData) : undefined;
  useEffect(() => {
    if (form?.message) toast.success(form.message);
  }, [form]);
  const id = affiliate.id;
  return (
    <>
      <BackLink to="/affiliates">Affiliates</BackLink>
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {affiliate.companyName} <StatusBadge status={affiliate.status} />
          </span>
        }
        description={
          <>
            Affiliate #{id} · joined {formatDate(affiliate.createdAt)}
            {affiliate.websiteUrl ? (
              <>
                {' · '}
                <a
                  href={affiliate.websiteUrl}
                  target="_blank"
                  rel="noreferrer noopener"
                  className="text-primary underline underline-offset-2 hover:decoration-2"
                >
                  {hostOf(affiliate.websiteUrl)}
                </a>
              </>
            ) : null}
          </>
        }
        actions={<StatusActions name={affiliate.companyName} status={affiliate.status} />}
      />
      {affiliate.status === 'pending' ? (
        <Alert variant="warning" className="mb-6 flex items-start gap-3">
          <HourglassIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
          <span>
            <span className="font-medium">Waiting for your approval.</span> It can sign in and fill in its
            profile, but the edge refuses its clicks until you approve it.
          </span>
        </Alert>
      ) : affiliate.status === 'suspended' ? (
        <Alert variant="warning" className="mb-6 flex items-start gap-3">
          <ShieldOffIcon className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
          <span>
            <span className="font-medium">Suspended.</span> The edge refuses its traffic, and its users cannot
            sign in or use the API until you reactivate it.
          </span>
        </Alert>
      ) : null}
      <div className="mb-6 grid gap-3 sm:grid-cols-2 xl:grid-cols-4">
        <JumpTile
          to={`/conversions?affiliateId=${id}`}
          icon={ReceiptIcon}
          label="Conversions"
          hint="All of its sales and leads"
        />
        <JumpTile
          to={`/reports?groupBy=offer&affiliateId=${id}`}
          icon={BarChart3Icon}
          label="Reports"
          hint="Clicks to payout"
        />
        <JumpTile
          to={`/applications?affiliateId=${id}`}
          icon={ClipboardCheckIcon}
          label="Applications"
          hint="Offers it asked to run"
        />
        <JumpTile
          to={`/postbacks?affiliateId=${id}`}
          icon={SendIcon}
          label="Postbacks"
          hint="What it is told, and when"
        />
      </div>
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <div className="grid grid-cols-1 min-w-0 content-start gap-6">
          <CompanyProfileCard
            kind="affiliate"
            company={affiliate}
            lastResult={form?.intent === 'profile' ? form.result : undefined}
          />
          <PaymentDetailsCard
            details={paymentDetails}
            lastResult={form?.intent === 'payment' ? form.result : undefined}
            description={
              paymentDetails
                ? 'Where its payouts go. Encrypted at rest; only the affiliate and network admins can read them.'
                : 'None on file yet: the affiliate adds them under its settings, or you can here.'
            }
          />
        </div>
        <div className="grid grid-cols-1 min-w-0 content-start gap-6">
          <LoginsCard users={users} addTo={`/users?new=affiliate&affiliateId=${id}`} />
        </div>
      </div>
    </>
  );
}

// Inside the signed-in shell: a refused or missing page keeps the sidebar.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
