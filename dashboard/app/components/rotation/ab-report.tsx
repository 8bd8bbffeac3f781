import { CircleCheckIcon, FlaskConicalIcon, HourglassIcon, InfoIcon } from 'lucide-react';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Alert } from '~/components/ui/misc';
import { Progress } from '~/components/ui/progress';
import { formatCount, formatMoney, formatPercent } from '~/lib/format';
import type { AbReport } from './rotation.server';

type Group = AbReport['groups'][number];
type Arm = Group['arms'][number];

/** "Landing pages", "Creatives 300x250". */
export function groupTitle(group: Pick<Group, 'kind' | 'group'>): string {
  return group.kind === 'landing_page' ? 'Landing pages' : `Creatives ${group.group}`;
}

const VERDICT = {
  winner: { variant: 'success', icon: CircleCheckIcon },
  no_clear_winner: { variant: 'default', icon: FlaskConicalIcon },
  not_enough_data: { variant: 'warning', icon: HourglassIcon },
  single_arm: { variant: 'default', icon: InfoIcon },
} as const;

/** The report's advice for a group, where the eye lands first. */
function Recommendation({ recommendation }: { recommendation: Group['recommendation'] }) {
  const { variant, icon: Icon } = VERDICT[recommendation.verdict];
  return (
    <Alert variant={variant} role="status" className="flex items-start gap-3">
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <span>{recommendation.message}</span>
    </Alert>
  );
}

/** P(best) as a bar and its figure; the bar is labelled for screen readers. */
function ProbabilityBar({ arm }: { arm: Arm }) {
  if (arm.probabilityBest === null) return <span className="text-muted-foreground">–</span>;
  return (
    <div className="flex min-w-32 items-center gap-2">
      <Progress
        value={arm.probabilityBest}
        tone={arm.probabilityBest >= 0.95 ? 'success' : 'default'}
        aria-label={`Probability that ${arm.name} is best`}
      />
      <span className="w-14 text-right tabular-nums">{formatPercent(arm.probabilityBest, 1)}</span>
    </div>
  );
}

function armColumns(currency: string, showEpc: boolean): ColumnDef<Arm, unknown>[] {
  return [
    {
      accessorKey: 'name',
      header: 'Name',
      cell: ({ row }) => (
        <span className="font-medium">
          {row.original.name} <span className="text-xs text-muted-foreground">#{row.original.id}</span>
        </span>
      ),
    },
    {
      accessorKey: 'clicks',
      header: 'Clicks',
      meta: { numeric: true },
      cell: ({ row }) => formatCount(row.original.clicks),
    },
    {
      accessorKey: 'conversions',
      header: 'Conv.',
      meta: { numeric: true },
      cell: ({ row }) => formatCount(row.original.conversions),
    },
    {
      accessorKey: 'cr',
      header: 'CR (95% interval)',
      meta: { numeric: true },
      cell: ({ row }) =>
        row.original.cr === null ? (
          '–'
        ) : (
          <span className="whitespace-nowrap tabular-nums">
            {formatPercent(row.original.cr)}{' '}
            <span className="text-xs text-muted-foreground">
              ({formatPercent(row.original.crLow)}–{formatPercent(row.original.crHigh)})
            </span>
          </span>
        ),
    },
    showEpc
      ? {
          id: 'epc',
          accessorFn: (arm) => arm.epcMinor ?? null,
          header: 'EPC',
          meta: { numeric: true },
          cell: ({ row }) => formatMoney(row.original.epcMinor ?? null, currency),
        }
      : {
          id: 'revenuePerClick',
          accessorFn: (arm) => arm.revenuePerClickMinor,
          header: 'Cost / click',
          meta: { numeric: true },
          cell: ({ row }) => formatMoney(row.original.revenuePerClickMinor, currency),
        },
    {
      accessorKey: 'probabilityBest',
      header: 'P(best)',
      cell: ({ row }) => <ProbabilityBar arm={row.original} />,
    },
    {
      accessorKey: 'shareInForce',
      header: 'Traffic now',
      meta: { numeric: true },
      cell: ({ row }) => formatPercent(row.original.shareInForce, 1),
    },
    {
      id: 'learned',
      accessorFn: (arm) => arm.learnedShare,
      header: 'Learned',
      meta: { numeric: true },
      cell: ({ row }) =>
        row.original.learnedShare === null ? (
          <span className="text-muted-foreground">–</span>
        ) : (
          formatPercent(row.original.learnedShare, 1)
        ),
    },
  ];
}

/** One rotation group: the recommendation, then each arm's figures. */
export function AbGroupCard({
  group,
  currency,
  showEpc,
}: {
  group: Group;
  currency: string;
  showEpc: boolean;
}) {
  const title = groupTitle(group);
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>
          {formatCount(group.clicks)} clean clicks in the period · CR with its 95% interval · P(best) by
          Thompson sampling
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <Recommendation recommendation={group.recommendation} />
        <DataTable
          columns={armColumns(currency, showEpc)}
          data={group.arms}
          caption={title}
          initialSorting={[{ id: 'probabilityBest', desc: true }]}
        />
      </CardContent>
    </Card>
  );
}
