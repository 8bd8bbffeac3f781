import { HistoryIcon } from 'lucide-react';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { EmptyState } from '~/components/page';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { formatBps, formatCount, formatDateTime, formatPercent } from '~/lib/format';
import type { RotationLogEntry } from './rotation.server';

const columns: ColumnDef<RotationLogEntry, unknown>[] = [
  {
    accessorKey: 'changedAt',
    header: 'When (UTC)',
    cell: ({ row }) => <span className="whitespace-nowrap">{formatDateTime(row.original.changedAt)}</span>,
  },
  {
    id: 'arm',
    accessorFn: (entry) => entry.armName ?? '',
    header: 'Arm',
    cell: ({ row }) => (
      <span>
        <span className="font-medium">{row.original.armName ?? `#${row.original.armId}`}</span>{' '}
        <span className="text-xs text-muted-foreground">
          {row.original.armKind === 'landing_page' ? 'landing page' : `creative ${row.original.group}`}
        </span>
      </span>
    ),
  },
  {
    id: 'share',
    accessorFn: (entry) => entry.newShareBps,
    header: 'Traffic share',
    meta: { numeric: true },
    cell: ({ row }) => (
      <span className="whitespace-nowrap tabular-nums">
        {formatBps(row.original.oldShareBps)} → <strong>{formatBps(row.original.newShareBps)}</strong>
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
    accessorKey: 'probabilityBest',
    header: 'P(best)',
    meta: { numeric: true },
    cell: ({ row }) => formatPercent(row.original.probabilityBest, 1),
  },
];

/** Every weight the bandit moved, with the evidence it had (the latest 50). */
export function WeightLog({ entries }: { entries: RotationLogEntry[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Weight changes</CardTitle>
        <CardDescription>
          What the bandit changed and why: each arm’s clicks, conversions and P(best) in its window.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <DataTable
          columns={columns}
          data={entries}
          caption="Weight changes"
          empty={
            <EmptyState
              icon={HistoryIcon}
              title="No weight changes yet"
              description="In bandit mode, changes appear here once a group has enough clicks."
            />
          }
        />
      </CardContent>
    </Card>
  );
}
