import { DownloadIcon, ScrollTextIcon, SearchXIcon } from 'lucide-react';
import { type FormEvent, useId, useMemo, useRef } from 'react';
import { data, Form, Link, useNavigation, useSearchParams, useSubmit } from 'react-router';
import { AUDIT_FILTER_KEYS, auditApiQuery, auditFilterSearch } from '~/components/audit/audit-query';
import { AUDIT_ACTION_LABEL, AUDIT_ACTIONS, detailText, isAuditAction } from '~/components/audit/audit-text';
import { type ColumnDef, DataTable, Pager } from '~/components/data-table';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatDateTime } from '~/lib/format';
import type { Route } from './+types/_app.audit';

export function meta() {
  return [{ title: 'Audit log · TAS' }];
}

type AuditEvent = Schemas['AuditEvent'];

const PAGE_SIZE = 50;

/**
 * The audit log (admins): security-relevant actions newest first, filtered by the URL (action,
 * actor, whole UTC days), a cursor page at a time.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const params = new URL(request.url).searchParams;
  const cursor = params.get('cursor')?.trim() ?? '';
  const [list, users] = await Promise.all([
    api.GET('/api/v1/audit-events', {
      params: {
        query: {
          ...auditApiQuery(params),
          limit: PAGE_SIZE,
          ...(/^\d{1,18}$/.test(cursor) ? { cursor } : {}),
        },
      },
    }),
    api.GET('/api/v1/users'),
  ]);
  // The JSON answer (the same route answers CSV when asked).
  if (!list.data || typeof list.data === 'string') {
    throw data(
      { message: apiMessage(list.error, 'The audit log could not be loaded.') },
      { status: list.response.status },
    );
  }
  return {
    rows: list.data.data,
    nextCursor: list.data.nextCursor,
    users: (users.data?.data ?? []).map((u) => ({ id: u.id, email: u.email })),
  };
}

export default function AuditLog({ loaderData }: Route.ComponentProps) {
  const { rows, nextCursor, users } = loaderData;
  const navigation = useNavigation();
  const [params] = useSearchParams();
  const filtered = AUDIT_FILTER_KEYS.some((key) => params.get(key));
  const search = auditFilterSearch(params);

  const columns = useMemo<ColumnDef<AuditEvent>[]>(
    () => [
      {
        accessorKey: 'createdAt',
        header: 'Time (UTC)',
        cell: ({ row }) => (
          <span className="whitespace-nowrap">{formatDateTime(row.original.createdAt)}</span>
        ),
      },
      {
        accessorKey: 'action',
        header: 'Action',
        cell: ({ row }) => {
          const { action } = row.original;
          return (
            <Badge variant={action === 'login.failed' ? 'destructive' : 'outline'} className="font-normal">
              {isAuditAction(action) ? AUDIT_ACTION_LABEL[action] : action}
            </Badge>
          );
        },
      },
      {
        id: 'actor',
        header: 'By',
        enableSorting: false,
        cell: ({ row }) =>
          row.original.actorEmail ?? <span className="text-muted-foreground">Anonymous</span>,
      },
      {
        accessorKey: 'actorIp',
        header: 'Address',
        cell: ({ row }) =>
          row.original.actorIp ? <code className="font-mono text-xs">{row.original.actorIp}</code> : null,
      },
      {
        id: 'subject',
        header: 'Subject',
        enableSorting: false,
        cell: ({ row }) =>
          row.original.subjectType ? (
            <span className="text-xs">
              {row.original.subjectType}{' '}
              <code className="font-mono text-muted-foreground">{row.original.subjectId}</code>
            </span>
          ) : null,
      },
      {
        id: 'detail',
        header: 'Detail',
        enableSorting: false,
        cell: ({ row }) => (
          <span className="block max-w-md whitespace-normal text-xs text-muted-foreground">
            {detailText(row.original.detail)}
          </span>
        ),
      },
    ],
    [],
  );

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Logins, API keys, users, password and payout detail changes: who did what, when and from where. Never secrets."
        actions={
          <Button asChild variant="outline">
            <Link to={`/audit/csv${search ? `?${search}` : ''}`} reloadDocument>
              <DownloadIcon aria-hidden /> Export CSV
            </Link>
          </Button>
        }
      />
      <AuditFilters users={users} />
      <div
        className={navigation.state === 'loading' ? 'opacity-60 transition-opacity' : undefined}
        aria-busy={navigation.state === 'loading' || undefined}
      >
        <DataTable
          columns={columns}
          data={rows}
          caption="Audit events"
          empty={
            filtered ? (
              <EmptyState
                icon={SearchXIcon}
                title="No event matches these filters"
                description="Widen the dates or clear a filter."
                action={
                  <Button asChild variant="outline">
                    <Link to="/audit">Clear filters</Link>
                  </Button>
                }
              />
            ) : (
              <EmptyState
                icon={ScrollTextIcon}
                title="Nothing recorded yet"
                description="Logins, key and user changes show here as they happen."
              />
            )
          }
        />
        <Pager next={nextCursor} param="cursor" />
      </div>
    </>
  );
}

/** The filters as a GET form: the URL holds them, every change applies at once and restarts paging. */
function AuditFilters({ users }: { users: { id: string; email: string }[] }) {
  const id = useId();
  const [params] = useSearchParams();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const apply = () => {
    if (!form.current) return;
    const values = new FormData(form.current);
    for (const [key, value] of [...values.entries()]) if (value === '') values.delete(key);
    submit(values, { method: 'get', replace: true, preventScrollReset: true });
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    apply();
  };
  const value = (key: string) => params.get(key) ?? '';
  const key = AUDIT_FILTER_KEYS.map((k) => value(k)).join('|');
  return (
    <Form
      ref={form}
      key={key}
      method="get"
      onSubmit={onSubmit}
      aria-label="Filter audit events"
      className="mb-4 grid grid-cols-2 gap-x-2 gap-y-3 sm:grid-cols-4"
    >
      <div className="grid min-w-0 gap-1">
        <Label htmlFor={`${id}-action`} className="text-xs font-medium text-muted-foreground">
          Action
        </Label>
        <NativeSelect id={`${id}-action`} name="action" defaultValue={value('action')} onChange={apply}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action}>
              {AUDIT_ACTION_LABEL[action]}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid min-w-0 gap-1">
        <Label htmlFor={`${id}-actor`} className="text-xs font-medium text-muted-foreground">
          By
        </Label>
        <NativeSelect id={`${id}-actor`} name="actor" defaultValue={value('actor')} onChange={apply}>
          <option value="">Anyone</option>
          {users.map((user) => (
            <option key={user.id} value={user.id}>
              {user.email}
            </option>
          ))}
        </NativeSelect>
      </div>
      <div className="grid min-w-0 gap-1">
        <Label htmlFor={`${id}-from`} className="text-xs font-medium text-muted-foreground">
          From
        </Label>
        <Input id={`${id}-from`} type="date" name="from" defaultValue={value('from')} onChange={apply} />
      </div>
      <div className="grid min-w-0 gap-1">
        <Label htmlFor={`${id}-to`} className="text-xs font-medium text-muted-foreground">
          To
        </Label>
        <Input id={`${id}-to`} type="date" name="to" defaultValue={value('to')} onChange={apply} />
      </div>
    </Form>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
