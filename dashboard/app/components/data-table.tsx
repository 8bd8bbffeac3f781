import {
  type ColumnDef,
  type ColumnDefTemplate,
  getCoreRowModel,
  getSortedRowModel,
  type SortingState,
  useReactTable,
} from '@tanstack/react-table';
import { ArrowDownIcon, ArrowUpIcon, ChevronsUpDownIcon } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { cn } from '~/lib/utils';
import { Button } from './ui/button';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from './ui/table';

export type { ColumnDef };

/**
 * A sortable table over the rows a loader gave (sorting is on the page at hand; the server pages
 * through the rest with `Pager`). Numeric columns align right when their meta says so.
 */
export function DataTable<T>({
  columns,
  data,
  empty,
  caption,
  initialSorting = [],
  className,
}: {
  columns: ColumnDef<T, unknown>[];
  data: T[];
  empty?: ReactNode;
  caption?: string;
  initialSorting?: SortingState;
  className?: string;
}) {
  const [sorting, setSorting] = useState<SortingState>(initialSorting);
  const table = useReactTable({
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  if (data.length === 0 && empty) return <>{empty}</>;
  return (
    <div className={cn('rounded-xl border bg-card shadow-xs', className)}>
      <Table>
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <TableHeader>
          {table.getHeaderGroups().map((group) => (
            <TableRow key={group.id} className="hover:bg-transparent">
              {group.headers.map((header) => {
                const numeric = (header.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                const sorted = header.column.getIsSorted();
                return (
                  <TableHead
                    key={header.id}
                    className={cn(numeric && 'text-right')}
                    aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
                  >
                    {header.isPlaceholder ? null : header.column.getCanSort() ? (
                      <button
                        type="button"
                        onClick={header.column.getToggleSortingHandler()}
                        className={cn(
                          'inline-flex items-center gap-1 uppercase hover:text-foreground',
                          numeric && 'flex-row-reverse',
                        )}
                      >
                        <Template render={header.column.columnDef.header} context={header.getContext()} />
                        {sorted === 'asc' ? (
                          <ArrowUpIcon className="size-3" aria-hidden />
                        ) : sorted === 'desc' ? (
                          <ArrowDownIcon className="size-3" aria-hidden />
                        ) : (
                          <ChevronsUpDownIcon className="size-3 opacity-40" aria-hidden />
                        )}
                      </button>
                    ) : (
                      <Template render={header.column.columnDef.header} context={header.getContext()} />
                    )}
                  </TableHead>
                );
              })}
            </TableRow>
          ))}
        </TableHeader>
        <TableBody>
          {table.getRowModel().rows.map((row) => (
            <TableRow key={row.id}>
              {row.getVisibleCells().map((cell) => {
                const numeric = (cell.column.columnDef.meta as { numeric?: boolean } | undefined)?.numeric;
                return (
                  <TableCell key={cell.id} className={cn(numeric && 'text-right tabular-nums')}>
                    <Template render={cell.column.columnDef.cell} context={cell.getContext()} />
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

/**
 * A header or cell of a column, rendered by one component type whatever the column gives.
 * `flexRender` mounts a column's function as a component of its own, and pages define their
 * columns in render: every re-render gave each cell a new component type, so React remounted all
 * of them, and a cell holding a fetcher re-registered it, which re-rendered the page again (an
 * endless loop, "Maximum update depth exceeded"). Called as a plain function here, a cell's hooks
 * belong to this component, which keeps its identity and state across renders.
 */
function Template<C extends object>({
  render,
  context,
}: {
  render: ColumnDefTemplate<C> | undefined;
  context: C;
}): ReactNode {
  if (typeof render === 'function') return render(context) as ReactNode;
  return render ?? null;
}

/** Keyset paging: the next page starts after the last row of this one (`nextAfter` of the API). */
export function Pager({ next, param = 'after' }: { next: string | number | null; param?: string }) {
  const [params] = useSearchParams();
  const current = params.get(param);
  const withParam = (value: string | null) => {
    const copy = new URLSearchParams(params);
    if (value === null) copy.delete(param);
    else copy.set(param, value);
    const query = copy.toString();
    return query ? `?${query}` : '?';
  };
  if (next === null && current === null) return null;
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center justify-end gap-2">
      {current !== null ? (
        <Button asChild variant="outline" size="sm">
          <Link to={withParam(null)}>First page</Link>
        </Button>
      ) : null}
      {next !== null ? (
        <Button asChild variant="outline" size="sm">
          <Link to={withParam(String(next))}>Next page</Link>
        </Button>
      ) : null}
    </nav>
  );
}
