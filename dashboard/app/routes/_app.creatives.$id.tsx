import { parseWithZod } from '@conform-to/zod/v4';
import { ArrowLeftIcon } from 'lucide-react';
import { data, Link, redirect } from 'react-router';
import { CreativeForm, creativeFormSchema } from '~/components/creatives/creative-form';
import { CreativePreview } from '~/components/creatives/creative-preview';
import {
  AFF_ID_MACRO,
  CREATIVE_TYPE_LABEL,
  type Creative,
  creativeSnippet,
  creativeTrackingLink,
} from '~/components/creatives/creative-snippet';
import { campaignRefs, getCreative } from '~/components/creatives/creatives.server';
import { PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { CopyField } from '~/components/ui/copy-button';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { dashboardEnv } from '~/lib/env.server';
import { formatDateTime } from '~/lib/format';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.creatives.$id';

export function meta({ data: loaderData }: Route.MetaArgs) {
  return [{ title: `${loaderData?.creative.name ?? 'Creative'} · Creatives · TAS` }];
}

const schema = creativeFormSchema.omit({ campaignId: true });

export async function loader({ context, params }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const [creative, campaigns] = await Promise.all([getCreative(api, params.id), campaignRefs(api)]);
  const campaign = campaigns.find((c) => c.id === creative.campaignId) ?? null;
  let offerName: string | null = null;
  if (campaign?.offerId) {
    const { data: offer } = await api.GET('/api/v1/offers/{id}', {
      params: { path: { id: String(campaign.offerId) } },
    });
    offerName = offer?.name ?? null;
  }
  return { creative, campaign, offerName, edgeUrl: dashboardEnv().edgeUrl };
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const creative = await getCreative(api, params.id);
  const submission = parseWithZod(await request.formData(), { schema });
  if (submission.status !== 'success') return data(submission.reply(), { status: 400 });
  const { name, type, url, size } = submission.value;
  const {
    data: changed,
    error,
    response,
  } = await api.PATCH('/api/v1/creatives/{id}', {
    params: { path: { id: String(creative.id) } },
    body: { name, type, url, size: size ?? null },
  });
  if (!changed)
    return data(submission.reply({ formErrors: [apiMessage(error)] }), { status: response.status });
  return redirect(`/creatives/${creative.id}`, {
    headers: { 'set-cookie': await flashToast(request, { kind: 'success', message: 'Creative saved.' }) },
  });
}

function LargePreview({ creative }: { creative: Creative }) {
  if (creative.type === 'video')
    return (
      <video
        src={creative.url}
        controls
        muted
        preload="metadata"
        className="max-h-72 w-full rounded-md bg-black"
      />
    );
  if (creative.type === 'html')
    return (
      <iframe
        src={creative.url}
        title={`Preview of ${creative.name}`}
        sandbox="allow-scripts"
        loading="lazy"
        className="h-72 w-full rounded-md border bg-card"
      />
    );
  return (
    <CreativePreview
      creative={creative}
      className="h-56 w-full bg-[repeating-conic-gradient(var(--color-muted)_0_25%,transparent_0_50%)] bg-[length:16px_16px]"
    />
  );
}

export default function CreativePage({ loaderData, actionData }: Route.ComponentProps) {
  const { creative, campaign, offerName, edgeUrl } = loaderData;
  const link = campaign?.offerId ? creativeTrackingLink(edgeUrl, campaign.offerId, creative.id) : null;
  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/creatives">
          <ArrowLeftIcon aria-hidden />
          Creatives
        </Link>
      </Button>
      <PageHeader
        title={creative.name}
        description={
          <span>
            {CREATIVE_TYPE_LABEL[creative.type]}
            {creative.size ? ` · ${creative.size}` : ''} · creative_id{' '}
            <span className="font-mono text-foreground">{creative.id}</span>
          </span>
        }
      />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
        <div className="grid min-w-0 content-start gap-6">
          <Card>
            <CardContent className="grid gap-4 p-5 sm:grid-cols-[minmax(0,1fr)_minmax(0,14rem)]">
              <LargePreview creative={creative} />
              <dl className="grid content-start gap-3 text-sm">
                <div>
                  <dt className="text-xs text-muted-foreground">Campaign</dt>
                  <dd>
                    <Link to={`/campaigns/${creative.campaignId}`} className="font-medium hover:underline">
                      {campaign?.name ?? `Campaign ${creative.campaignId}`}
                    </Link>
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-muted-foreground">Offer</dt>
                  <dd>
                    {campaign?.offerId ? (
                      <Link to={`/offers/${campaign.offerId}`} className="hover:underline">
                        {offerName ?? `Offer ${campaign.offerId}`}
                      </Link>
                    ) : (
                      'None'
                    )}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-muted-foreground">Asset</dt>
                  <dd className="break-all">
                    <a
                      href={creative.url}
                      target="_blank"
                      rel="noreferrer noopener"
                      className="hover:underline"
                    >
                      {creative.url}
                    </a>
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-muted-foreground">Changed</dt>
                  <dd>{formatDateTime(creative.updatedAt)} UTC</dd>
                </div>
              </dl>
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>What affiliates use</CardTitle>
              <CardDescription>
                The link carries <code className="font-mono text-foreground">creative_id={creative.id}</code>,
                which ties each click to this campaign’s budget and splits reports by creative.{' '}
                <code className="font-mono text-foreground">{AFF_ID_MACRO}</code> is each affiliate’s own id;
                in the link builder they get it filled in.
              </CardDescription>
            </CardHeader>
            <CardContent className="grid min-w-0 gap-4">
              {link ? (
                <>
                  <div className="grid min-w-0 gap-1.5">
                    <p className="text-sm font-medium">Tracking link</p>
                    <CopyField value={link} label="tracking link" />
                  </div>
                  <div className="grid min-w-0 gap-1.5">
                    <p className="text-sm font-medium">HTML snippet</p>
                    <CopyField value={creativeSnippet(creative, link)} label="HTML snippet" multiline />
                  </div>
                </>
              ) : (
                <p className="text-sm text-muted-foreground">
                  The campaign has no offer, so there is no link to click through to.{' '}
                  <Link
                    to={`/campaigns/${creative.campaignId}?tab=settings`}
                    className="text-primary hover:underline"
                  >
                    Choose the campaign’s offer
                  </Link>
                  .
                </p>
              )}
            </CardContent>
          </Card>
        </div>
        <Card className="self-start">
          <CardHeader>
            <CardTitle>Settings</CardTitle>
            <CardDescription>
              A creative stays in its campaign; add a new one to use it elsewhere.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <CreativeForm
              lastResult={actionData}
              campaigns={null}
              defaultValue={{
                name: creative.name,
                type: creative.type,
                url: creative.url,
                size: creative.size ?? '',
              }}
              submitLabel="Save changes"
            />
          </CardContent>
        </Card>
      </div>
    </>
  );
}
