import { CodeIcon, ImageIcon, LinkIcon, PaletteIcon, PlusIcon, SearchIcon, SparklesIcon } from 'lucide-react';
import { data, Form, Link, useSearchParams } from 'react-router';
import { FilterLinks } from '~/components/campaigns/filter-links';
import { CreativePreview } from '~/components/creatives/creative-preview';
import {
  CREATIVE_TYPE_LABEL,
  CREATIVE_TYPES,
  type Creative,
  creativeSnippet,
  creativeTrackingLink,
} from '~/components/creatives/creative-snippet';
import { campaignRefs } from '~/components/creatives/creatives.server';
import { EmbedDialog } from '~/components/creatives/embed-dialog';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { CopyButton } from '~/components/ui/copy-button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { dashboardEnv } from '~/lib/env.server';
import type { Route } from './+types/_app.creatives._index';

export function meta() {
  return [{ title: 'Creatives · TAS' }];
}

const ID = /^[1-9]\d{0,9}$/;

export async function loader({ context, request }: Route.LoaderArgs) {
  // Affiliates see the creatives of offers they may run (the API narrows the list), with embed codes.
  const { api, viewer } = requireRole(authOf(context), 'admin', 'advertiser', 'affiliate');
  const affiliate = viewer.role === 'affiliate';
  const url = new URL(request.url);
  const after = url.searchParams.get('after');
  const campaign = url.searchParams.get('campaign');
  const type = url.searchParams.get('type');
  const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
  const [list, campaigns] = await Promise.all([
    api.GET('/api/v1/creatives', {
      params: {
        query: {
          limit: 100,
          ...(after && ID.test(after) ? { after } : {}),
          ...(campaign && ID.test(campaign) ? { campaignId: campaign } : {}),
        },
      },
    }),
    affiliate ? Promise.resolve([]) : campaignRefs(api),
  ]);
  if (!list.data)
    throw data(
      { message: apiMessage(list.error, 'The creatives could not be loaded.') },
      { status: list.response.status },
    );
  const all = list.data.data;
  const rows = all.filter((c) => (!type || c.type === type) && (!q || c.name.toLowerCase().includes(q)));
  const counts = Object.fromEntries(CREATIVE_TYPES.map((t) => [t, all.filter((c) => c.type === t).length]));
  return {
    affiliate,
    rows,
    total: all.length,
    counts,
    campaigns,
    edgeUrl: dashboardEnv().edgeUrl,
    nextAfter: list.data.nextAfter,
    filtered: Boolean(campaign || type || q),
  };
}

export default function Creatives({ loaderData }: Route.ComponentProps) {
  const { affiliate, rows, campaigns, edgeUrl, nextAfter, filtered, counts, total } = loaderData;
  const [params] = useSearchParams();
  const campaignOf = new Map(campaigns.map((c) => [c.id, c]));
  const linkOf = (creative: Creative) => {
    const offerId = campaignOf.get(creative.campaignId)?.offerId;
    return offerId ? creativeTrackingLink(edgeUrl, offerId, creative.id) : null;
  };

  const columns: ColumnDef<Creative, unknown>[] = [
    {
      id: 'name',
      accessorKey: 'name',
      header: 'Creative',
      cell: ({ row }) => (
        <div className="flex items-center gap-3">
          <CreativePreview creative={row.original} className="size-16" />
          <div className="grid min-w-0 max-w-64 gap-0.5">
            {affiliate ? (
              <span className="truncate font-medium">{row.original.name}</span>
            ) : (
              <Link to={`/creatives/${row.original.id}`} className="truncate font-medium hover:underline">
                {row.original.name}
              </Link>
            )}
            <span className="truncate text-xs text-muted-foreground">{row.original.url}</span>
          </div>
        </div>
      ),
    },
    {
      id: 'type',
      accessorKey: 'type',
      header: 'Type',
      cell: ({ row }) => (
        <span className="text-sm">
          {CREATIVE_TYPE_LABEL[row.original.type]}
          {row.original.size ? <span className="text-muted-foreground"> · {row.original.size}</span> : null}
        </span>
      ),
    },
    ...(affiliate
      ? []
      : ([
          {
            id: 'campaign',
            accessorFn: (c) => campaignOf.get(c.campaignId)?.name ?? '',
            header: 'Campaign',
            cell: ({ row }) => (
              <Link to={`/campaigns/${row.original.campaignId}`} className="text-sm hover:underline">
                {campaignOf.get(row.original.campaignId)?.name ?? `Campaign ${row.original.campaignId}`}
              </Link>
            ),
          },
        ] satisfies ColumnDef<Creative, unknown>[])),
    {
      id: 'id',
      accessorKey: 'id',
      header: 'creative_id',
      meta: { numeric: true },
      cell: ({ row }) => <span className="font-mono text-sm">{row.original.id}</span>,
    },
    {
      id: 'copy',
      header: () => <span className="sr-only">Copy</span>,
      enableSorting: false,
      cell: ({ row }) =>
        affiliate ? (
          <div className="flex justify-end">
            <EmbedDialog creative={row.original} />
          </div>
        ) : (
          <CopyActions creative={row.original} link={linkOf(row.original)} />
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Creatives"
        description={
          affiliate
            ? 'Banners and videos of the offers you run. Get a creative’s embed code: it carries your tracking link with the creative_id.'
            : 'Banners, videos and HTML5 units of campaigns. Affiliates pick them in the link builder; their clicks carry the creative_id, which ties them to the campaign’s budget.'
        }
        actions={
          affiliate ? undefined : (
            <>
              <Button asChild variant="outline">
                <Link to="/creatives/brand-kit">
                  <PaletteIcon aria-hidden />
                  Brand kit
                </Link>
              </Button>
              <Button asChild variant="outline">
                <Link
                  to={
                    params.get('campaign')
                      ? `/creatives/studio?campaign=${params.get('campaign')}`
                      : '/creatives/studio'
                  }
                >
                  <SparklesIcon aria-hidden />
                  Studio
                </Link>
              </Button>
              <Button asChild>
                <Link
                  to={
                    params.get('campaign')
                      ? `/creatives/new?campaign=${params.get('campaign')}`
                      : '/creatives/new'
                  }
                >
                  <PlusIcon aria-hidden />
                  New creative
                </Link>
              </Button>
            </>
          )
        }
      />
      <div className="mb-4 flex flex-col gap-3 lg:flex-row lg:items-center lg:justify-between">
        <FilterLinks
          param="type"
          label="Creative type"
          options={[
            { value: null, label: 'All', count: total },
            ...CREATIVE_TYPES.map((t) => ({
              value: t,
              label: CREATIVE_TYPE_LABEL[t],
              count: counts[t] ?? 0,
            })),
          ]}
        />
        <Form method="get" className="flex flex-wrap items-end gap-2" role="search">
          {params.get('type') ? <input type="hidden" name="type" value={params.get('type') ?? ''} /> : null}
          <div className="relative">
            <Label htmlFor="creative-q" className="sr-only">
              Search creatives
            </Label>
            <SearchIcon
              className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
              aria-hidden
            />
            <Input
              id="creative-q"
              name="q"
              type="search"
              placeholder="Search by name"
              defaultValue={params.get('q') ?? ''}
              className="w-48 pl-8"
            />
          </div>
          <div hidden={affiliate}>
            <Label htmlFor="creative-campaign" className="sr-only">
              Campaign
            </Label>
            <NativeSelect
              id="creative-campaign"
              name="campaign"
              defaultValue={params.get('campaign') ?? ''}
              className="w-52"
            >
              <option value="">Every campaign</option>
              {campaigns.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </NativeSelect>
          </div>
          <Button type="submit" variant="outline">
            Filter
          </Button>
        </Form>
      </div>

      {rows.length === 0 ? (
        filtered ? (
          <EmptyState
            icon={SearchIcon}
            title="No creative matches these filters"
            description="Change or clear the filters to see the others."
            action={
              <Button asChild variant="outline">
                <Link to="/creatives">Clear filters</Link>
              </Button>
            }
          />
        ) : affiliate ? (
          <EmptyState
            icon={ImageIcon}
            title="No creatives yet"
            description="The creatives of offers you may run appear here. Apply to an offer, or use its plain tracking link in the link builder."
            action={
              <Button asChild variant="outline">
                <Link to="/offers">Browse offers</Link>
              </Button>
            }
          />
        ) : (
          <EmptyState
            icon={ImageIcon}
            title="No creatives yet"
            description={
              campaigns.length === 0
                ? 'Creatives belong to a campaign: create a campaign first, then add its banners, videos or HTML5 units.'
                : 'Add the banners, videos or HTML5 units affiliates may run. Host the files on your CDN; we keep their address.'
            }
            action={
              <Button asChild>
                <Link to={campaigns.length === 0 ? '/campaigns/new' : '/creatives/new'}>
                  <PlusIcon aria-hidden />
                  {campaigns.length === 0 ? 'New campaign' : 'New creative'}
                </Link>
              </Button>
            }
          />
        )
      ) : (
        <>
          <DataTable columns={columns} data={rows} caption="Creatives" className="hidden md:block" />
          <ul className="grid gap-3 md:hidden">
            {rows.map((creative) => (
              <li key={creative.id}>
                <Card className="flex items-center gap-3 p-3">
                  <CreativePreview creative={creative} className="size-14" />
                  <div className="grid min-w-0 flex-1 gap-0.5">
                    {affiliate ? (
                      <span className="truncate font-medium">{creative.name}</span>
                    ) : (
                      <Link to={`/creatives/${creative.id}`} className="truncate font-medium hover:underline">
                        {creative.name}
                      </Link>
                    )}
                    <span className="truncate text-xs text-muted-foreground">
                      {CREATIVE_TYPE_LABEL[creative.type]}
                      {creative.size ? ` · ${creative.size}` : ''} · id {creative.id}
                    </span>
                    {affiliate ? null : (
                      <span className="truncate text-xs text-muted-foreground">
                        {campaignOf.get(creative.campaignId)?.name ?? `Campaign ${creative.campaignId}`}
                      </span>
                    )}
                  </div>
                  {affiliate ? (
                    <EmbedDialog creative={creative} compact />
                  ) : (
                    <CopyActions creative={creative} link={linkOf(creative)} compact />
                  )}
                </Card>
              </li>
            ))}
          </ul>
        </>
      )}
      <Pager next={nextAfter} />
    </>
  );
}

function CopyActions({
  creative,
  link,
  compact = false,
}: {
  creative: Creative;
  link: string | null;
  compact?: boolean;
}) {
  if (!link) return <span className="text-xs text-muted-foreground">No offer</span>;
  return (
    <div className="flex justify-end gap-1">
      <CopyButton
        value={link}
        label={`Copy the tracking link of ${creative.name}`}
        variant="ghost"
        icon={compact ? LinkIcon : undefined}
        text={compact ? undefined : 'Link'}
      />
      <CopyButton
        value={creativeSnippet(creative, link)}
        label={`Copy the HTML of ${creative.name}`}
        variant="ghost"
        icon={compact ? CodeIcon : undefined}
        text={compact ? undefined : 'HTML'}
      />
    </div>
  );
}
