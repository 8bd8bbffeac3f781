import { getFormProps, type SubmissionResult } from '@conform-to/react';
import { PlusIcon, SearchIcon, XIcon } from 'lucide-react';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { Form, Link, useNavigation, useSearchParams } from 'react-router';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { FormErrors, SubmitButton } from '~/components/form';
import { StatusBadge } from '~/components/status-badge';
import { Button } from '~/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from '~/components/ui/dialog';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import { formatDate } from '~/lib/format';
import { cn } from '~/lib/utils';
import type { CompanyKind, CompanyRow } from './company.server';
import { CompanyProfileFields, useCompanyForm } from './company-forms';

export function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/**
 * Search and status filters as a GET form: the URL holds them, so a filtered view can be shared.
 * The status chips show how many of each there are.
 */
export function CompanyFilters({
  statuses,
  counts,
  total,
  noun,
}: {
  statuses: { value: string; label: string }[];
  counts: Record<string, number>;
  total: number;
  noun: string;
}) {
  const [params] = useSearchParams();
  const current = params.get('status') ?? '';
  const q = params.get('q') ?? '';
  const withStatus = (status: string) => {
    const copy = new URLSearchParams(params);
    if (status) copy.set('status', status);
    else copy.delete('status');
    const text = copy.toString();
    return text ? `?${text}` : '?';
  };
  return (
    <div className="mb-4 flex flex-col gap-3 lg:flex-row lg:items-center lg:justify-between">
      <nav aria-label={`Filter ${noun} by status`} className="-mx-1 overflow-x-auto px-1">
        <ul className="flex min-w-max gap-1 rounded-lg bg-muted p-1">
          {[{ value: '', label: 'All' }, ...statuses].map((status) => {
            const active = current === status.value;
            const count = status.value ? (counts[status.value] ?? 0) : total;
            return (
              <li key={status.value || 'all'}>
                <Link
                  to={withStatus(status.value)}
                  preventScrollReset
                  aria-current={active ? 'page' : undefined}
                  className={cn(
                    'inline-flex h-7 items-center gap-1.5 rounded-md px-2.5 text-sm font-medium text-muted-foreground transition-colors hover:text-foreground',
                    active && 'bg-card text-foreground shadow-sm',
                  )}
                >
                  {status.label}
                  <span className="text-xs tabular-nums text-muted-foreground">{count}</span>
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      <Form method="get" role="search" className="flex gap-2 lg:w-80">
        {current ? <input type="hidden" name="status" value={current} /> : null}
        <div className="relative flex-1">
          <Label htmlFor="company-search" className="sr-only">
            Search {noun}
          </Label>
          <SearchIcon
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            id="company-search"
            type="search"
            name="q"
            defaultValue={q}
            key={q}
            placeholder="Name, email, website or id"
            className="pl-8"
          />
        </div>
        <Button type="submit" variant="outline">
          Search
        </Button>
        {q ? (
          <Button asChild variant="ghost" size="icon" aria-label="Clear the search">
            <Link to={withStatus(current)}>
              <XIcon />
            </Link>
          </Button>
        ) : null}
      </Form>
    </div>
  );
}

/** The table of advertisers or affiliates, each row leading to its page. */
export function CompanyTable({
  kind,
  rows,
  empty,
}: {
  kind: CompanyKind;
  rows: CompanyRow[];
  empty: ReactNode;
}) {
  const base = kind === 'advertiser' ? '/advertisers' : '/affiliates';
  const columns: ColumnDef<CompanyRow, unknown>[] = useMemo(
    () => [
      {
        accessorKey: 'companyName',
        header: 'Company',
        cell: ({ row }) => (
          <div className="grid min-w-40 gap-0.5">
            <Link to={`${base}/${row.original.id}`} className="font-medium hover:underline" prefetch="intent">
              {row.original.companyName}
            </Link>
            <span className="text-xs text-muted-foreground">
              #{row.original.id}
              {row.original.websiteUrl ? ` · ${hostOf(row.original.websiteUrl)}` : ''}
            </span>
          </div>
        ),
      },
      {
        accessorKey: 'contactEmail',
        header: 'Contact',
        cell: ({ row }) =>
          row.original.contactEmail || row.original.contactPhone ? (
            <div className="grid gap-0.5">
              {row.original.contactEmail ? <span>{row.original.contactEmail}</span> : null}
              {row.original.contactPhone ? (
                <span className="text-xs text-muted-foreground">{row.original.contactPhone}</span>
              ) : null}
            </div>
          ) : (
            <span className="text-muted-foreground">–</span>
          ),
      },
      ...(kind === 'affiliate'
        ? [
            {
              id: 'payment',
              header: 'Payment details',
              enableSorting: false,
              cell: ({ row }) =>
                'hasPaymentDetails' in row.original && row.original.hasPaymentDetails ? (
                  <span>On file</span>
                ) : (
                  <span className="text-muted-foreground">Missing</span>
                ),
            } satisfies ColumnDef<CompanyRow, unknown>,
          ]
        : []),
      {
        accessorKey: 'status',
        header: 'Status',
        cell: ({ row }) => <StatusBadge status={row.original.status} />,
      },
      {
        accessorKey: 'createdAt',
        header: 'Joined',
        cell: ({ row }) => (
          <span className="text-muted-foreground">{formatDate(row.original.createdAt)}</span>
        ),
      },
    ],
    [base, kind],
  );
  return (
    <DataTable
      columns={columns}
      data={rows}
      empty={empty}
      caption={kind === 'advertiser' ? 'Advertisers' : 'Affiliates'}
    />
  );
}

/** A dialog to add an advertiser or affiliate (the profile; a login is added on the Users page). */
export function NewCompanyDialog({
  kind,
  lastResult,
}: {
  kind: CompanyKind;
  lastResult: SubmissionResult<string[]> | undefined;
}) {
  const [open, setOpen] = useState(false);
  const navigation = useNavigation();
  const [form, fields] = useCompanyForm('new-company', null, open ? lastResult : undefined);
  // An error answer keeps the dialog open; a created company redirects to its page.
  useEffect(() => {
    if (lastResult?.status === 'error') setOpen(true);
  }, [lastResult]);
  const noun = kind === 'advertiser' ? 'advertiser' : 'affiliate';
  return (
    <Dialog open={open} onOpenChange={(next) => (navigation.state === 'idle' ? setOpen(next) : undefined)}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon /> New {noun}
        </Button>
      </DialogTrigger>
      <DialogContent className="max-h-[calc(100dvh-2rem)] overflow-y-auto sm:max-w-xl">
        <Form method="post" className="grid gap-4" {...getFormProps(form)}>
          <DialogHeader>
            <DialogTitle>New {noun}</DialogTitle>
            <DialogDescription>
              {kind === 'advertiser'
                ? 'The company whose offers you run. Give it a login on its page afterwards.'
                : 'A publisher who sends traffic. Give it a login on its page afterwards.'}
            </DialogDescription>
          </DialogHeader>
          <CompanyProfileFields kind={kind} fields={fields} />
          {kind === 'affiliate' ? (
            <div className="grid gap-1.5 sm:max-w-64">
              <Label htmlFor="new-company-status">Status</Label>
              <NativeSelect id="new-company-status" name="status" defaultValue="active">
                <option value="active">Active: may send traffic</option>
                <option value="pending">Pending: waits for approval</option>
              </NativeSelect>
            </div>
          ) : null}
          <FormErrors errors={form.errors} />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <SubmitButton intent="create">Create {noun}</SubmitButton>
          </DialogFooter>
        </Form>
      </DialogContent>
    </Dialog>
  );
}
