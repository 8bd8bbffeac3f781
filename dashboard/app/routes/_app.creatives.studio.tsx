import { ArrowLeftIcon, PaletteIcon, SparklesIcon } from 'lucide-react';
import { useEffect } from 'react';
import { data, Link, redirect, useRevalidator } from 'react-router';
import { campaignRefs } from '~/components/creatives/creatives.server';
import { JobCard } from '~/components/creatives/job-card';
import { jobVariants, recentJobs } from '~/components/creatives/studio.server';
import {
  StudioForm,
  type StudioFormResult,
  studioFormInput,
  studioJobBody,
  studioJobSchema,
} from '~/components/creatives/studio-form';
import { ACTIVE_JOB_STATUSES, type CreativeJob } from '~/components/creatives/studio-options';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.creatives.studio';

export function meta() {
  return [{ title: 'Creative studio · TAS' }];
}

const ID = /^[1-9]\d{0,9}$/;
/** Jobs shown: the newest few. */
const SHOWN_JOBS = 6;
/** How often the page asks again while a job is queued or running. */
export const POLL_MS = 1500;

export async function loader({ context, request }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const url = new URL(request.url);
  const [campaigns, kitList, jobs] = await Promise.all([
    campaignRefs(api),
    api.GET('/api/v1/brand-kits', { params: { query: { limit: 100 } } }),
    recentJobs(api, SHOWN_JOBS),
  ]);
  const kits = kitList.data?.data ?? [];
  const variants = await jobVariants(api, jobs);

  const wantedCampaign = url.searchParams.get('campaign');
  const wantedKit = url.searchParams.get('brandKit');
  const campaign =
    campaigns.find((c) => String(c.id) === wantedCampaign) ??
    (campaigns.length === 1 ? campaigns[0] : undefined);
  const kit =
    kits.find((k) => String(k.id) === wantedKit) ??
    kits.find((k) => campaign === undefined || k.advertiserId === campaign.advertiserId);
  return {
    campaigns,
    kits,
    jobs,
    variants,
    defaults: { campaignId: campaign ? String(campaign.id) : '', brandKitId: kit ? String(kit.id) : '' },
  };
}

export async function action({ context, request }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin', 'advertiser');
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'cancel' || intent === 'retry') {
    const jobId = String(form.get('jobId') ?? '');
    if (!ID.test(jobId)) throw data({ message: 'There is no such job.' }, { status: 404 });
    const path =
      intent === 'cancel' ? '/api/v1/creative-jobs/{id}/cancel' : '/api/v1/creative-jobs/{id}/retry';
    const { data: job, error, response } = await api.POST(path, { params: { path: { id: jobId } } });
    if (!job)
      return data(
        { ok: false as const, fieldErrors: {}, formErrors: [apiMessage(error)] },
        { status: response.status },
      );
    return { ok: true as const, jobId: job.id };
  }
  const parsed = studioJobSchema.safeParse(studioFormInput(form));
  if (!parsed.success) {
    const flat = parsed.error.flatten();
    return data(
      { ok: false as const, fieldErrors: flat.fieldErrors, formErrors: flat.formErrors },
      { status: 400 },
    );
  }
  const {
    data: job,
    error,
    response,
  } = await api.POST('/api/v1/creative-jobs', {
    body: studioJobBody(parsed.data),
  });
  if (!job)
    return data(
      {
        ok: false as const,
        fieldErrors: {},
        formErrors: [apiMessage(error, 'The job could not be queued.')],
      },
      { status: response.status },
    );
  return redirect(`/creatives/studio?campaign=${job.campaignId}&brandKit=${job.brandKitId}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: `Job ${job.id} queued: ${job.placements.length} placement${job.placements.length === 1 ? '' : 's'}.`,
      }),
    },
  });
}

/** Asks for the loader again every POLL_MS while any job is queued or running. */
function usePollWhile(active: boolean) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') void revalidator.revalidate();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [active, revalidator]);
}

export default function CreativeStudio({ loaderData, actionData }: Route.ComponentProps) {
  const { campaigns, kits, jobs, variants, defaults } = loaderData;
  usePollWhile(jobs.some((j: CreativeJob) => ACTIVE_JOB_STATUSES.includes(j.status)));
  const result = actionData && actionData.ok === false ? (actionData as StudioFormResult) : undefined;
  const campaignName = (id: number) => campaigns.find((c) => c.id === id)?.name ?? `Campaign ${id}`;

  return (
    <>
      <Button asChild variant="ghost" size="sm" className="mb-2 -ml-2 text-muted-foreground">
        <Link to="/creatives">
          <ArrowLeftIcon aria-hidden />
          Creatives
        </Link>
      </Button>
      <PageHeader
        title="Creative studio"
        description="Generate a campaign’s creatives in every placement from your brand kit: templates offline and free, AI providers when this server has their keys."
        actions={
          <Button asChild variant="outline">
            <Link to="/creatives/brand-kit">
              <PaletteIcon aria-hidden />
              Brand kit
            </Link>
          </Button>
        }
      />
      {campaigns.length === 0 || kits.length === 0 ? (
        <EmptyState
          icon={SparklesIcon}
          title={campaigns.length === 0 ? 'Create a campaign first' : 'Set up your brand kit first'}
          description={
            campaigns.length === 0
              ? 'Generated creatives join a campaign, one per placement.'
              : 'Every generation follows a brand kit: your colours, font, logo and the words never to use.'
          }
          action={
            <Button asChild>
              <Link to={campaigns.length === 0 ? '/campaigns/new' : '/creatives/brand-kit'}>
                {campaigns.length === 0 ? 'New campaign' : 'Create the brand kit'}
              </Link>
            </Button>
          }
        />
      ) : (
        <div className="grid gap-6">
          <Card>
            <CardHeader>
              <CardTitle>Generate</CardTitle>
              <CardDescription>One creative per placement; a job runs in the background.</CardDescription>
            </CardHeader>
            <CardContent>
              <StudioForm campaigns={campaigns} kits={kits} defaults={defaults} result={result} />
            </CardContent>
          </Card>
          <section aria-labelledby="studio-jobs" className="grid gap-3">
            <h2 id="studio-jobs" className="text-lg font-semibold">
              Recent jobs
            </h2>
            {jobs.length === 0 ? (
              <p className="text-sm text-muted-foreground">
                No job yet: the first appears here with its progress.
              </p>
            ) : (
              jobs.map((job) => (
                <JobCard
                  key={job.id}
                  job={job}
                  campaignName={campaignName(job.campaignId)}
                  variants={variants[job.id] ?? []}
                />
              ))
            )}
          </section>
        </div>
      )}
    </>
  );
}
