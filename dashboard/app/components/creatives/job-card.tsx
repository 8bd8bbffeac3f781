import { ExternalLinkIcon, LibraryIcon, RotateCcwIcon, XIcon } from 'lucide-react';
import { Form, Link } from 'react-router';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Alert } from '~/components/ui/misc';
import { Progress } from '~/components/ui/progress';
import { formatDateTime, formatMoney } from '~/lib/format';
import type { Creative } from './creative-snippet';
import { type CreativeJob, PLACEMENTS, PROVIDERS } from './studio-options';

const BOX = 220;

/** A variant at a size that keeps its proportions beside the others: the longer side at most BOX px. */
function scaled(size: string | null) {
  const match = size ? /^(\d+)x(\d+)$/.exec(size) : null;
  const width = Number(match?.[1] ?? BOX);
  const height = Number(match?.[2] ?? BOX);
  const factor = Math.min(1, BOX / Math.max(width, height));
  return { width: Math.round(width * factor), height: Math.round(height * factor) };
}

function Variant({ creative }: { creative: Creative }) {
  const { width, height } = scaled(creative.size);
  const placement = PLACEMENTS.find((p) => p.id === creative.size);
  return (
    <figure className="m-0 grid content-start justify-items-center gap-2 rounded-lg border bg-muted/30 p-3">
      <div className="flex items-center justify-center" style={{ width: BOX, height: BOX }}>
        {creative.type === 'video' ? (
          <video
            src={creative.url}
            width={width}
            height={height}
            muted
            loop
            autoPlay
            playsInline
            className="rounded-sm shadow-sm"
          />
        ) : (
          <img
            src={creative.url}
            alt={`${creative.size} variant`}
            width={width}
            height={height}
            loading="lazy"
            className="rounded-sm bg-background object-contain shadow-sm"
          />
        )}
      </div>
      <figcaption className="flex w-full items-center justify-between gap-2 text-xs">
        <span>
          <span className="font-mono font-medium">{creative.size}</span>
          {placement ? <span className="text-muted-foreground"> · {placement.name}</span> : null}
        </span>
        <Link
          to={`/creatives/${creative.id}`}
          className="inline-flex items-center gap-1 text-muted-foreground hover:text-foreground"
          aria-label={`Open the ${creative.size} creative`}
        >
          <ExternalLinkIcon className="size-3.5" aria-hidden />
        </Link>
      </figcaption>
    </figure>
  );
}

/** One generation: its status and progress while it runs, its variants side by side once done. */
export function JobCard({
  job,
  campaignName,
  variants,
}: {
  job: CreativeJob;
  campaignName: string;
  /** The creatives the job made (done jobs), in placement order. */
  variants: Creative[];
}) {
  const active = job.status === 'queued' || job.status === 'running';
  const provider = PROVIDERS.find((p) => p.id === job.provider)?.name ?? job.provider;
  return (
    <Card aria-labelledby={`job-${job.id}-title`}>
      <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
        <div className="grid gap-1">
          <CardTitle id={`job-${job.id}-title`} className="flex items-center gap-2 text-base">
            Job {job.id}
            <StatusBadge status={job.status} />
          </CardTitle>
          <CardDescription>
            {campaignName} · {provider} · {job.kind === 'video' ? 'video' : 'image'} · {job.placements.length}{' '}
            placement{job.placements.length === 1 ? '' : 's'} · brand kit v{job.brandKitVersion} ·{' '}
            {formatDateTime(job.createdAt)} UTC
            {job.costEstimate ? (
              <>
                {' '}
                · estimated {formatMoney(job.costEstimate.amountMinor, job.costEstimate.currency)} (
                {job.costEstimate.basis})
              </>
            ) : null}
          </CardDescription>
        </div>
        <div className="flex gap-2">
          {active ? (
            <Form method="post">
              <input type="hidden" name="jobId" value={job.id} />
              <Button type="submit" name="intent" value="cancel" variant="outline" size="sm">
                <XIcon aria-hidden />
                Cancel
              </Button>
            </Form>
          ) : null}
          {job.status === 'failed' || job.status === 'cancelled' ? (
            <Form method="post">
              <input type="hidden" name="jobId" value={job.id} />
              <Button type="submit" name="intent" value="retry" variant="outline" size="sm">
                <RotateCcwIcon aria-hidden />
                Retry
              </Button>
            </Form>
          ) : null}
          {job.status === 'done' ? (
            <Button asChild size="sm">
              <Link to={`/creatives?campaign=${job.campaignId}`}>
                <LibraryIcon aria-hidden />
                Keep: see in the library
              </Link>
            </Button>
          ) : null}
        </div>
      </CardHeader>
      <CardContent className="grid gap-4">
        {active ? (
          <div className="grid gap-1.5">
            <div className="flex justify-between text-xs text-muted-foreground">
              <span>{job.status === 'queued' ? 'Waiting for a free slot…' : 'Generating…'}</span>
              <span>{job.progress}%</span>
            </div>
            <Progress value={job.progress / 100} aria-label={`Job ${job.id} progress`} />
          </div>
        ) : null}
        {job.status === 'failed' ? (
          <Alert variant="destructive">
            {job.errorMessage ?? 'The job failed.'}
            {job.errorCode ? <span className="ml-1 font-mono text-xs">({job.errorCode})</span> : null}
          </Alert>
        ) : null}
        {job.status === 'done' ? (
          variants.length > 0 ? (
            <>
              <p className="text-xs text-muted-foreground">
                Each variant is already a creative of the campaign, with TAS’s signed asset URL. The API has
                no separate approval step: keep them, or open one to change or replace its file.
              </p>
              <ul className="flex flex-wrap gap-3" aria-label={`Variants of job ${job.id}`}>
                {variants.map((c) => (
                  <li key={c.id}>
                    <Variant creative={c} />
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="text-sm text-muted-foreground">
              The job’s creatives are no longer in the campaign.
            </p>
          )
        ) : null}
      </CardContent>
    </Card>
  );
}
