import { parseWithZod } from '@conform-to/zod/v4';
import { ArrowLeftIcon } from 'lucide-react';
import { data, Link, redirect } from 'react-router';
import { CreativeForm, creativeFormSchema } from '~/components/creatives/creative-form';
import { campaignRefs } from '~/components/creatives/creatives.server';
import { PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Card, CardContent } from '~/components/ui/card';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.creatives.new';

export function meta() {
  return [{ title: 'New creative · TAS' }];
}

const schema = creativeFormSchema.required({ campaignId: true });

export async function loader({ context, request }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const campaigns = await campaignRefs(api);
  const wanted = new URL(request.url).searchParams.get('campaign');
  const campaign =
    campaigns.find((c) => String(c.id) === wanted) ?? (campaigns.length === 1 ? campaigns[0] : undefined);
  return { campaigns, campaignId: campaign ? String(campaign.id) : '' };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const { campaignId, name, type, url, size } = submission.value;
  const {
    data: created,
    error,
    response,
  } = await api.POST('/api/v1/creatives', {
    body: { campaignId: Number(campaignId), name, type, url, size: size ?? null },
  });
  if (!created)
    return data(submission.reply({ formErrors: [apiMessage(error)] }), { status: response.status });
  return redirect(`/creatives/${created.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: `Creative “${created.name}” added (creative_id ${created.id}).`,
      }),
    },
  });
}

export default function NewCreative({ loaderData, actionData }: Route.ComponentProps) {
  return (
    <div className="mx-auto max-w-2xl">
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/creatives">
          <ArrowLeftIcon aria-hidden />
          Creatives
        </Link>
      </Button>
      <PageHeader
        title="New creative"
        description="A banner, video or HTML5 unit hosted on your CDN, for affiliates to run with their tracking link."
      />
      <Card>
        <CardContent className="pt-5">
          {loaderData.campaigns.length === 0 ? (
            <p className="text-sm text-muted-foreground">
              Creatives belong to a campaign.{' '}
              <Link to="/campaigns/new" className="font-medium text-primary hover:underline">
                Create a campaign
              </Link>{' '}
              first.
            </p>
          ) : (
            <CreativeForm
              lastResult={actionData}
              campaigns={loaderData.campaigns}
              defaultValue={{ campaignId: loaderData.campaignId, type: 'image' }}
              submitLabel="Add creative"
            />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
