import { CheckCircle2Icon, HourglassIcon, ShieldOffIcon } from 'lucide-react';
import { useEffect } from 'react';
import { data, redirect } from 'react-router';
import { toast } from 'sonner';
import {
  type FormActionData,
  saveCompanyProfile,
  savePaymentDetails,
} from '~/components/admin/company.server';
import { CompanyProfileCard, PaymentDetailsCard } from '~/components/admin/company-forms';
import { StatusBadge } from '~/components/status-badge';
import { Card, CardContent } from '~/components/ui/card';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatDate } from '~/lib/format';
import type { Route } from './+types/_app.settings.company';

export function meta() {
  return [{ title: 'Company · Settings · TAS' }];
}

/** An advertiser's or affiliate's own company: its profile (and, for affiliates, how it is paid). */
export async function loader({ context }: Route.LoaderArgs) {
  const { api, viewer } = authOf(context);
  if (viewer.advertiserId !== null) {
    const id = String(viewer.advertiserId);
    const advertiser = await api.GET('/api/v1/advertisers/{id}', { params: { path: { id } } });
    if (!advertiser.data)
      throw data({ message: apiMessage(advertiser.error) }, { status: advertiser.response.status });
    return { kind: 'advertiser' as const, company: advertiser.data, paymentDetails: null };
  }
  if (viewer.affiliateId !== null) {
    const id = String(viewer.affiliateId);
    const [affiliate, payment] = await Promise.all([
      api.GET('/api/v1/affiliates/{id}', { params: { path: { id } } }),
      api.GET('/api/v1/affiliates/{id}/payment-details', { params: { path: { id } } }),
    ]);
    if (!affiliate.data)
      throw data({ message: apiMessage(affiliate.error) }, { status: affiliate.response.status });
    return {
      kind: 'affiliate' as const,
      company: affiliate.data,
      paymentDetails: payment.data?.paymentDetails ?? null,
    };
  }
  // Admins belong to no company: their profile is the whole of their settings.
  throw redirect('/settings');
}

export async function action({ request, context }: Route.ActionArgs) {
  const { api, viewer } = authOf(context);
  const formData = await request.formData();
  if (viewer.advertiserId !== null)
    return saveCompanyProfile(api, 'advertiser', String(viewer.advertiserId), formData);
  if (viewer.affiliateId !== null) {
    const id = String(viewer.affiliateId);
    return formData.get('intent') === 'payment'
      ? savePaymentDetails(api, id, formData)
      : saveCompanyProfile(api, 'affiliate', id, formData);
  }
  throw data({ message: 'Your account belongs to no company.' }, { status: 403 });
}

const STANDING = {
  active: { icon: CheckCircle2Icon, tone: 'text-success', text: 'Active: your account is in good standing.' },
  pending: {
    icon: HourglassIcon,
    tone: 'text-warning',
    text: 'Waiting for the network to approve you: your links send no traffic until then. Complete your profile and payment details meanwhile.',
  },
  suspended: {
    icon: ShieldOffIcon,
    tone: 'text-destructive',
    text: 'Suspended by the network. Contact it to be reactivated.',
  },
} as const;

export default function CompanySettings({ loaderData, actionData }: Route.ComponentProps) {
  const { kind, company, paymentDetails } = loaderData;
  const form = actionData as FormActionData | undefined;
  useEffect(() => {
    if (form?.message) toast.success(form.message);
  }, [form]);
  const standing = STANDING[company.status];
  return (
    <div className="grid grid-cols-1 gap-6">
      <Card>
        <CardContent className="flex items-start gap-3 p-5 sm:items-center">
          <standing.icon className={`mt-0.5 size-5 shrink-0 sm:mt-0 ${standing.tone}`} aria-hidden />
          <div className="min-w-0 flex-1">
            <p className="flex flex-wrap items-center gap-2 font-medium">
              {company.companyName} <StatusBadge status={company.status} />
            </p>
            <p className="text-sm text-muted-foreground">{standing.text}</p>
            <p className="mt-1 text-xs text-muted-foreground sm:hidden">
              {kind === 'advertiser' ? 'Advertiser' : 'Affiliate'} #{company.id} · since{' '}
              {formatDate(company.createdAt)}
            </p>
          </div>
          <p className="hidden text-right text-xs text-muted-foreground sm:block">
            {kind === 'advertiser' ? 'Advertiser' : 'Affiliate'} #{company.id}
            <br />
            since {formatDate(company.createdAt)}
          </p>
        </CardContent>
      </Card>
      <CompanyProfileCard
        kind={kind}
        company={company}
        lastResult={form?.intent === 'profile' ? form.result : undefined}
        description={
          kind === 'advertiser'
            ? 'How the network reaches you, and where it sends invoices.'
            : 'How the network and advertisers reach you.'
        }
      />
      {kind === 'affiliate' ? (
        <PaymentDetailsCard
          details={paymentDetails}
          lastResult={form?.intent === 'payment' ? form.result : undefined}
          description="Where your payouts go. Encrypted at rest; only you and the network's admins can read them."
        />
      ) : null}
    </div>
  );
}
