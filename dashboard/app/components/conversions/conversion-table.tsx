import { ChevronRightIcon } from 'lucide-react';
import { useMemo } from 'react';
import { Link } from 'react-router';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { Checkbox } from '~/components/ui/checkbox';
import { formatDateTime, formatMoney } from '~/lib/format';
import { type Conversion, SaleAmount, StatusCell, SubsCell } from './conversion-cells';

type Role = 'admin' | 'advertiser' | 'affiliate';

export type ConversionTableProps = {
  role: Role;
  rows: Conversion[];
  offerNames: Record<number, string>;
  affiliateNames: Record<number, string>;
  /** Ids picked for review; null when the viewer cannot review. */
  selected: Set<string> | null;
  onSelectedChange: (next: Set<string>) => void;
};

function detailLink(conversion: Conversion) {
  return `/conversions/${conversion.id}`;
}

/**
 * Conversions as a dense table on wide screens and as cards on a phone, each leading to its full
 * record. Reviewers pick rows with the checkboxes (or the one in the header for the whole page).
 */
export function ConversionTable(props: ConversionTableProps) {
  return (
    <>
      <div className="hidden md:block">
        <WideTable {...props} />
      </div>
      <ul className="grid gap-2 md:hidden" aria-label="Conversions">
        {props.rows.map((conversion) => (
          <ConversionCard key={conversion.id} conversion={conversion} {...props} />
        ))}
      </ul>
    </>
  );
}

function offerName(names: Record<number, string>, id: number) {
  return names[id] ?? `Offer #${id}`;
}

function affiliateName(names: Record<number, string>, id: number) {
  return names[id] ?? `Affiliate #${id}`;
}

function toggle(set: Set<string>, id: string, on: boolean) {
  const next = new Set(set);
  if (on) next.add(id);
  else next.delete(id);
  return next;
}

function WideTable({
  role,
  rows,
  offerNames,
  affiliateNames,
  selected,
  onSelectedChange,
}: ConversionTableProps) {
  const columns = useMemo(() => {
    const all: (ColumnDef<Conversion, unknown> | null)[] = [
      selected
        ? {
            id: 'select',
            enableSorting: false,
            header: () => {
              const picked = rows.filter((row) => selected.has(row.id)).length;
              return (
                <Checkbox
                  aria-label="Select all conversions on this page"
                  checked={picked === 0 ? false : picked === rows.length ? true : 'indeterminate'}
                  onCheckedChange={(on) =>
                    onSelectedChange(on === true ? new Set(rows.map((row) => row.id)) : new Set())
                  }
                />
              );
            },
            cell: ({ row }) => (
              <Checkbox
                aria-label={`Select conversion ${row.original.txid ?? row.original.id.slice(0, 8)}`}
                checked={selected.has(row.original.id)}
                onCheckedChange={(on) => onSelectedChange(toggle(selected, row.original.id, on === true))}
              />
            ),
          }
        : null,
      {
        id: 'time',
        accessorKey: 'occurredAt',
        header: 'Time (UTC)',
        cell: ({ row }) => (
          <Link
            to={detailLink(row.original)}
            className="font-medium tabular-nums hover:underline"
            aria-label={`Conversion of ${formatDateTime(row.original.occurredAt)}, ${row.original.txid ?? 'no txid'}: details`}
          >
            {formatDateTime(row.original.occurredAt)}
          </Link>
        ),
      },
      {
        id: 'offer',
        accessorFn: (c) => offerName(offerNames, c.offerId),
        header: role === 'affiliate' ? 'Offer' : 'Offer · affiliate',
        cell: ({ row }) => (
          <span className="flex max-w-52 flex-col">
            <span className="truncate" title={offerName(offerNames, row.original.offerId)}>
              {offerName(offerNames, row.original.offerId)}
            </span>
            {role === 'affiliate' ? null : (
              <span className="truncate text-xs text-muted-foreground">
                {affiliateName(affiliateNames, row.original.affiliateId)}
              </span>
            )}
          </span>
        ),
      },
      {
        id: 'txid',
        accessorKey: 'txid',
        header: 'Txid · event',
        cell: ({ row }) => (
          <span className="flex max-w-36 flex-col">
            {row.original.txid ? (
              <span className="truncate font-mono text-xs" title={row.original.txid}>
                {row.original.txid}
              </span>
            ) : (
              <span className="text-muted-foreground">no txid</span>
            )}
            <span className="text-xs text-muted-foreground">{row.original.event}</span>
          </span>
        ),
      },
      {
        id: 'sale',
        accessorFn: (c) => c.amountMinor ?? -1,
        header: 'Sale',
        meta: { numeric: true },
        cell: ({ row }) => <SaleAmount conversion={row.original} />,
      },
      role === 'advertiser'
        ? null
        : {
            id: 'payout',
            accessorFn: (c) => c.payoutMinor ?? 0,
            header: 'Payout',
            meta: { numeric: true },
            cell: ({ row }) => formatMoney(row.original.payoutMinor, row.original.payoutCurrency),
          },
      role === 'affiliate'
        ? null
        : {
            id: 'revenue',
            accessorFn: (c) => c.revenueMinor ?? 0,
            header: 'Revenue',
            meta: { numeric: true },
            cell: ({ row }) => formatMoney(row.original.revenueMinor, row.original.payoutCurrency),
          },
      {
        id: 'status',
        accessorKey: 'status',
        header: 'Status',
        cell: ({ row }) => <StatusCell conversion={row.original} />,
      },
      {
        id: 'subs',
        header: 'Sub ids · geo',
        enableSorting: false,
        cell: ({ row }) => (
          <span className="flex flex-col">
            <SubsCell conversion={row.original} />
            <span className="text-xs text-muted-foreground">
              {row.original.country ?? '–'} · {row.original.device ?? '–'}
            </span>
          </span>
        ),
      },
    ];
    return all.filter((column): column is ColumnDef<Conversion, unknown> => column !== null);
  }, [role, rows, offerNames, affiliateNames, selected, onSelectedChange]);

  return <DataTable columns={columns} data={rows} caption="Conversions" />;
}

function ConversionCard({
  conversion,
  role,
  offerNames,
  affiliateNames,
  selected,
  onSelectedChange,
}: ConversionTableProps & { conversion: Conversion }) {
  return (
    <li className="flex items-start gap-3 rounded-xl border bg-card p-3 shadow-xs">
      {selected ? (
        <Checkbox
          className="mt-1"
          aria-label={`Select conversion ${conversion.txid ?? conversion.id.slice(0, 8)}`}
          checked={selected.has(conversion.id)}
          onCheckedChange={(on) => onSelectedChange(toggle(selected, conversion.id, on === true))}
        />
      ) : null}
      <Link to={detailLink(conversion)} className="grid min-w-0 flex-1 gap-1.5">
        <span className="flex items-baseline justify-between gap-2">
          <span className="truncate font-medium">{offerName(offerNames, conversion.offerId)}</span>
          <span className="shrink-0 text-xs text-muted-foreground tabular-nums">
            {formatDateTime(conversion.occurredAt)}
          </span>
        </span>
        <span className="flex flex-wrap items-center gap-x-2 gap-y-1 text-xs text-muted-foreground">
          <span>{conversion.event}</span>
          {conversion.txid ? <span className="font-mono">{conversion.txid}</span> : null}
          {role === 'affiliate' ? null : <span>{affiliateName(affiliateNames, conversion.affiliateId)}</span>}
        </span>
        <span className="flex items-end justify-between gap-2">
          <StatusCell conversion={conversion} />
          <span className="text-right text-sm tabular-nums">
            {role === 'advertiser'
              ? formatMoney(conversion.revenueMinor, conversion.payoutCurrency)
              : formatMoney(conversion.payoutMinor, conversion.payoutCurrency)}
            <span className="block text-xs text-muted-foreground">
              {role === 'advertiser' ? 'revenue' : 'payout'}
            </span>
          </span>
        </span>
      </Link>
      <ChevronRightIcon className="mt-1 size-4 shrink-0 text-muted-foreground" aria-hidden />
    </li>
  );
}
