import { parseWithZod } from '@conform-to/zod/v4';
import { SearchIcon, SearchXIcon, ShieldIcon, XIcon } from 'lucide-react';
import { useMemo } from 'react';
import { data, Form, Link, useSearchParams } from 'react-router';
import type { FormActionData } from '~/components/admin/company.server';
import { type CompanyOption, NewUserDialog, newUserSchema } from '~/components/admin/new-user-dialog';
import { outcome } from '~/components/admin/outcome.server';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { ConfirmAction } from '~/components/ui/confirm-action';
import { Input } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { NativeSelect } from '~/components/ui/native-select';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf, requireRole } from '~/lib/auth.server';
import { formatCount, formatDate } from '~/lib/format';
import { useViewer } from '~/lib/viewer';
import type { Route } from './+types/_app.users';

export function meta() {
  return [{ title: 'Users · TAS' }];
}

type User = Schemas['User'];
type Row = User & { company: string | null };

const ROLES = { admin: 'Network admin', advertiser: 'Advertiser', affiliate: 'Affiliate' } as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const [users, advertisers, affiliates] = await Promise.all([
    api.GET('/api/v1/users'),
    api.GET('/api/v1/advertisers', { params: { query: { limit: 200 } } }),
    api.GET('/api/v1/affiliates', { params: { query: { limit: 200 } } }),
  ]);
  if (!users.data) throw data({ message: apiMessage(users.error) }, { status: users.response.status });
  const all = users.data.data;
  const advertiserNames = new Map((advertisers.data?.data ?? []).map((a) => [a.id, a.companyName]));
  const affiliateNames = new Map((affiliates.data?.data ?? []).map((a) => [a.id, a.companyName]));
  const rows: Row[] = all.map((user) => ({
    ...user,
    company:
      user.advertiserId !== null
        ? (advertiserNames.get(user.advertiserId) ?? `Advertiser #${user.advertiserId}`)
        : user.affiliateId !== null
          ? (affiliateNames.get(user.affiliateId) ?? `Affiliate #${user.affiliateId}`)
          : null,
  }));

  const params = new URL(request.url).searchParams;
  const q = (params.get('q') ?? '').trim().toLowerCase().slice(0, 100);
  const role = params.get('role');
  const state = params.get('state');
  const matching = rows.filter(
    (row) =>
      (!role || row.role === role) &&
      (!state || (state === 'disabled' ? !row.isActive : row.isActive)) &&
      (!q ||
        row.email.includes(q) ||
        `${row.firstName ?? ''} ${row.lastName ?? ''}`.toLowerCase().includes(q) ||
        (row.company ?? '').toLowerCase().includes(q)),
  );
  const withLogin = (id: number, key: 'advertiserId' | 'affiliateId') => all.some((u) => u[key] === id);
  const options = (
    list: { id: number; companyName: string }[] | undefined,
    key: 'advertiserId' | 'affiliateId',
  ): CompanyOption[] =>
    (list ?? []).map((c) => ({ id: c.id, name: c.companyName, taken: withLogin(c.id, key) }));
  return {
    rows: matching.sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    total: rows.length,
    advertisers: options(advertisers.data?.data, 'advertiserId'),
    affiliates: options(affiliates.data?.data, 'affiliateId'),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const formData = await request.formData();
  if (formData.get('intent') === 'active') {
    const id = String(formData.get('id') ?? '');
    const isActive = formData.get('isActive') === 'true';
    const {
      data: user,
      error,
      response,
    } = await api.PATCH('/api/v1/users/{id}', {
      params: { path: { id } },
      body: { isActive },
    });
    if (!user) return outcome(request, false, apiMessage(error), response.status);
    return outcome(
      request,
      true,
      isActive
        ? `${user.email} can sign in again.`
        : `${user.email} is disabled: signed out everywhere, and their API keys revoked.`,
    );
  }
  const submission = parseWithZod(formData, { schema: newUserSchema });
  if (submission.status !== 'success')
    return data<FormActionData>(
      { intent: 'create', result: submission.reply({ hideFields: ['password'] }) },
      { status: 400 },
    );
  const { companyId, role, ...rest } = submission.value;
  const {
    data: user,
    error,
    response,
  } = await api.POST('/api/v1/users', {
    body: {
      ...rest,
      role,
      firstName: rest.firstName ?? null,
      lastName: rest.lastName ?? null,
      advertiserId: role === 'advertiser' ? (companyId ?? null) : null,
      affiliateId: role === 'affiliate' ? (companyId ?? null) : null,
    },
  });
  if (!user)
    return data<FormActionData>(
      { intent: 'create', result: submission.reply({ formErrors: [apiMessage(error)] }) },
      { status: response.status },
    );
  return data<FormActionData>({
    intent: 'create',
    result: submission.reply({ resetForm: true }),
    message: `${user.email} can sign in now.`,
  });
}

function UserFilters({ total, shown }: { total: number; shown: number }) {
  const [params] = useSearchParams();
  const filtered = Boolean(params.get('q') || params.get('role') || params.get('state'));
  return (
    <Form method="get" role="search" className="mb-4 flex flex-wrap items-end gap-2">
      <div className="grid min-w-56 flex-1 gap-1.5 sm:max-w-80">
        <Label htmlFor="users-q" className="sr-only">
          Search users
        </Label>
        <div className="relative">
          <SearchIcon
            className="pointer-events-none absolute top-1/2 left-2.5 size-4 -translate-y-1/2 text-muted-foreground"
            aria-hidden
          />
          <Input
            id="users-q"
            type="search"
            name="q"
            key={params.get('q') ?? ''}
            defaultValue={params.get('q') ?? ''}
            placeholder="Email, name or company"
            className="pl-8"
          />
        </div>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="users-role" className="sr-only">
          Role
        </Label>
        <NativeSelect
          id="users-role"
          name="role"
          defaultValue={params.get('role') ?? ''}
          key={`role-${params.get('role') ?? ''}`}
          className="w-40"
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
        >
          <option value="">All roles</option>
          <option value="admin">Admins</option>
          <option value="advertiser">Advertisers</option>
          <option value="affiliate">Affiliates</option>
        </NativeSelect>
      </div>
      <div className="grid gap-1.5">
        <Label htmlFor="users-state" className="sr-only">
          Sign-in
        </Label>
        <NativeSelect
          id="users-state"
          name="state"
          defaultValue={params.get('state') ?? ''}
          key={`state-${params.get('state') ?? ''}`}
          className="w-36"
          onChange={(event) => event.currentTarget.form?.requestSubmit()}
        >
          <option value="">Any status</option>
          <option value="enabled">Enabled</option>
          <option value="disabled">Disabled</option>
        </NativeSelect>
      </div>
      <Button type="submit" variant="outline">
        Search
      </Button>
      {filtered ? (
        <Button asChild variant="ghost">
          <Link to="/users">
            <XIcon /> Clear
          </Link>
        </Button>
      ) : null}
      <p className="ml-auto self-center text-xs text-muted-foreground tabular-nums">
        {filtered ? `${formatCount(shown)} of ${formatCount(total)}` : `${formatCount(total)} users`}
      </p>
    </Form>
  );
}

export default function Users({ loaderData, actionData }: Route.ComponentProps) {
  const { rows, total, advertisers, affiliates } = loaderData;
  const viewer = useViewer();
  const create = actionData && 'intent' in actionData ? (actionData as FormActionData) : undefined;
  const [params] = useSearchParams();
  const filtered = Boolean(params.get('q') || params.get('role') || params.get('state'));

  const columns: ColumnDef<Row, unknown>[] = useMemo(
    () => [
      {
        accessorKey: 'email',
        header: 'User',
        cell: ({ row }) => {
          const name = [row.original.firstName, row.original.lastName].filter(Boolean).join(' ');
          return (
            <div className="grid gap-0.5">
              <span className="font-medium">
                {name || row.original.email}
                {row.original.id === viewer.id ? (
                  <Badge variant="outline" className="ml-2 align-middle">
                    you
                  </Badge>
                ) : null}
              </span>
              {name ? <span className="text-xs text-muted-foreground">{row.original.email}</span> : null}
            </div>
          );
        },
      },
      {
        accessorKey: 'role',
        header: 'Role',
        cell: ({ row }) => <Badge variant="secondary">{ROLES[row.original.role]}</Badge>,
      },
      {
        accessorKey: 'company',
        header: 'Company',
        cell: ({ row }) => {
          const { advertiserId, affiliateId, company } = row.original;
          if (advertiserId !== null)
            return (
              <Link to={`/advertisers/${advertiserId}`} className="hover:underline">
                {company}
              </Link>
            );
          if (affiliateId !== null)
            return (
              <Link to={`/affiliates/${affiliateId}`} className="hover:underline">
                {company}
              </Link>
            );
          return (
            <span className="text-muted-foreground">{row.original.role === 'admin' ? 'Network' : '–'}</span>
          );
        },
      },
      {
        accessorKey: 'isActive',
        header: 'Sign-in',
        cell: ({ row }) => (
          <StatusBadge
            status={row.original.isActive ? 'active' : 'disabled'}
            label={row.original.isActive ? 'enabled' : 'disabled'}
          />
        ),
      },
      {
        accessorKey: 'createdAt',
        header: 'Created',
        cell: ({ row }) => (
          <span className="text-muted-foreground">{formatDate(row.original.createdAt)}</span>
        ),
      },
      {
        id: 'actions',
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row }) => {
          const user = row.original;
          if (user.id === viewer.id) return null;
          return (
            <div className="flex justify-end">
              {user.isActive ? (
                <ConfirmAction
                  trigger={
                    <Button variant="ghost" size="sm" className="text-destructive hover:text-destructive">
                      Disable
                    </Button>
                  }
                  title={`Disable ${user.email}?`}
                  description="They are signed out everywhere at once, cannot sign in, and their API keys are revoked for good. Their company and its data stay as they are. You can enable them again (they make new keys)."
                  confirmLabel="Disable user"
                  destructive
                  fields={{ intent: 'active', id: user.id, isActive: 'false' }}
                />
              ) : (
                <ConfirmAction
                  trigger={
                    <Button variant="ghost" size="sm">
                      Enable
                    </Button>
                  }
                  title={`Enable ${user.email}?`}
                  description="They can sign in again with their password, and their API keys work again."
                  confirmLabel="Enable user"
                  fields={{ intent: 'active', id: user.id, isActive: 'true' }}
                />
              )}
            </div>
          );
        },
      },
    ],
    [viewer.id],
  );

  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone who signs in: the network's admins, and one login for each advertiser and affiliate."
        actions={
          <NewUserDialog
            advertisers={advertisers}
            affiliates={affiliates}
            lastResult={create?.result}
            created={create?.message}
          />
        }
      />
      <UserFilters total={total} shown={rows.length} />
      <DataTable
        columns={columns}
        data={rows}
        caption="Users"
        empty={
          filtered ? (
            <EmptyState
              icon={SearchXIcon}
              title="No user matches"
              description="Try another search, or clear the filters."
            />
          ) : (
            <EmptyState icon={ShieldIcon} title="No users yet" />
          )
        }
      />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
