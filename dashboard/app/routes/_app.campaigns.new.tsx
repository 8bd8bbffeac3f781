import { parseWithZod } from '@conform-to/zod/v4';
import { ArrowLeftIcon } from 'lucide-react';
import { data, Link, redirect } from 'react-router';
import { CampaignForm } from '~/components/campaigns/campaign-form';
import { campaignBody, campaignFormSchema } from '~/components/campaigns/campaign-schema';
import { advertiserChoices, campaignRefusal, offerChoices } from '~/components/campaigns/campaigns.server';
import { PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Card, CardContent } from '~/components/ui/card';
import { authOf, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.campaigns.new';

export function meta() {
  return [{ title: 'New campaign · TAS' }];
}

export async function loader({ context, request }: Route.LoaderArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const [offers, advertisers] = await Promise.all([
    offerChoices(api),
    viewer.role === 'admin' ? advertiserChoices(api) : Promise.resolve(null),
  ]);
  const wanted = new URL(request.url).searchParams.get('offer');
  const offer = offers.find((o) => String(o.id) === wanted) ?? offers[0];
  return {
    offers,
    advertisers,
    defaults: {
      status: 'draft',
      offerId: offer ? String(offer.id) : '',
      currency: offer?.currency ?? 'USD',
    },
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser');
  const submission = parseWithZod(await request.formData(), { schema: campaignFormSchema });
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const body = campaignBody(submission.value);
  const offers = await offerChoices(api);
  const offer = offers.find((o) => o.id === body.offerId);
  let advertiserId: number | undefined;
  if (viewer.role === 'admin') {
    advertiserId = offer?.advertiserId ?? Number(submission.value.advertiserId ?? 0);
    if (!advertiserId)
      return data(
        submission.reply({ fieldErrors: { advertiserId: ['Choose the advertiser, or an offer.'] } }),
        {
          status: 400,
        },
      );
  }
  const {
    data: created,
    error,
    response,
  } = await api.POST('/api/v1/campaigns', {
    body: { ...body, ...(advertiserId ? { advertiserId } : {}) },
  });
  if (!created) return data(submission.reply(campaignRefusal(error, offer)), { status: response.status });
  return redirect(`/campaigns/${created.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: `Campaign “${created.name}” created.`,
      }),
    },
  });
}

export default function NewCampaign({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <div className="mx-auto max-w-3xl">
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/campaigns">
          <ArrowLeftIcon aria-hidden />
          Campaigns
        </Link>
      </Button>
      <PageHeader
        title="New campaign"
        description="Give an offer’s creatives a budget and dates. Add creatives once the campaign exists."
      />
      <Card>
        <CardContent className="pt-5">
          <CampaignForm
            mode="create"
            lastResult={actionData}
            defaultValue={loaderData.defaults}
            offers={loaderData.offers}
            advertisers={loaderData.advertisers}
            submitLabel="Create campaign"
          />
        </CardContent>
      </Card>
    </div>
  );
}
