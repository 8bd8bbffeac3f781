import type { SubmissionResult } from '@conform-to/react';
import { parseWithZod } from '@conform-to/zod/v4';
import { KeyRoundIcon } from 'lucide-react';
import { useMemo } from 'react';
import { data, Link, useSearchParams } from 'react-router';
import { outcome } from '~/components/admin/outcome.server';
import { type ColumnDef, DataTable } from '~/components/data-table';
import { EmptyState } from '~/components/page';
import {
  apiKeySchema,
  CreateApiKeyDialog,
  type CreatedKey,
} from '~/components/settings/create-api-key-dialog';
import { ROLE_SCOPES, type Scope } from '~/components/settings/scopes';
import { StatusBadge } from '~/components/status-badge';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ConfirmAction } from '~/components/ui/confirm-action';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatAgo, formatDate } from '~/lib/format';
import type { Route } from './+types/_app.settings.api-keys';

export function meta() {
  return [{ title: 'API keys · Settings · TAS' }];
}

type ApiKey = Schemas['ApiKey'];

export async function loader({ context }: Route.LoaderArgs) {
  const { api, viewer } = authOf(context);
  const { data: keys, error, response } = await api.GET('/api/v1/api-keys');
  if (!keys) throw data({ message: apiMessage(error) }, { status: response.status });
  return { keys: keys.data, scopes: ROLE_SCOPES[viewer.role], now: new Date().toISOString() };
}

export type ApiKeyActionData = { intent: 'create'; result: SubmissionResult<string[]>; created?: CreatedKey };

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = authOf(context);
  const formData = await request.formData();
  const intent = formData.get('intent');
  if (intent === 'revoke') {
    const id = String(formData.get('id') ?? '');
    const { error, response } = await api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } });
    return response.ok
      ? outcome(request, true, 'Key revoked: it no longer works.')
      : outcome(request, false, apiMessage(error), response.status);
  }
  const submission = parseWithZod(formData, { schema: apiKeySchema });
  if (submission.status !== 'success')
    return data<ApiKeyActionData>({ intent: 'create', result: submission.reply() }, { status: 400 });
  const { name, scopes, expiry } = submission.value;
  const expiresAt =
    expiry === 'never' ? null : new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
  const {
    data: created,
    error,
    response,
  } = await api.POST('/api/v1/api-keys', {
    body: { name, scopes: scopes as Scope[], expiresAt },
  });
  if (!created)
    return data<ApiKeyActionData>(
      { intent: 'create', result: submission.reply({ formErrors: [apiMessage(error)] }) },
      { status: response.status },
    );
  // The key travels in this answer only: never in a URL, a cookie or a flash.
  return data<ApiKeyActionData>(
    {
      intent: 'create',
      result: submission.reply({ resetForm: true }),
      created: { key: created.key, id: created.apiKey.id, name: created.apiKey.name },
    },
    { headers: { 'cache-control': 'no-store' } },
  );
}

function stateOf(key: ApiKey, now: string): { status: string; label: string } {
  if (key.revokedAt) return { status: 'disabled', label: 'revoked' };
  if (key.expiresAt && key.expiresAt <= now) return { status: 'archived', label: 'expired' };
  return { status: 'active', label: 'active' };
}

export default function ApiKeys({ loaderData, actionData }: Route.ComponentProps) {
  const { keys, scopes, now } = loaderData;
  const [params] = useSearchParams();
  const showRevoked = params.get('revoked') === 'shown';
  const revokedCount = keys.filter((k) => k.revokedAt).length;
  const shown = showRevoked ? keys : keys.filter((k) => !k.revokedAt);
  const create = actionData && 'intent' in actionData ? (actionData as ApiKeyActionData) : undefined;

  const columns: ColumnDef<ApiKey, unknown>[] = useMemo(
    () => [
      {
        accessorKey: 'name',
        header: 'Name',
        cell: ({ row }) => (
          <div className="grid gap-0.5">
            <span className="font-medium">{row.original.name}</span>
            <code className="font-mono text-xs text-muted-foreground">{row.original.prefix}…</code>
          </div>
        ),
      },
      {
        id: 'scopes',
        header: 'Scopes',
        enableSorting: false,
        cell: ({ row }) => (
          <div className="flex max-w-md flex-wrap gap-1 whitespace-normal">
            {row.original.scopes.map((scope) => (
              <Badge key={scope} variant="outline" className="font-mono text-[11px] font-normal">
                {scope}
              </Badge>
            ))}
          </div>
        ),
      },
      {
        accessorKey: 'lastUsedAt',
        header: 'Last used',
        cell: ({ row }) =>
          row.original.lastUsedAt ? (
            <div className="grid gap-0.5">
              <span title={row.original.lastUsedAt}>{formatAgo(row.original.lastUsedAt, now)}</span>
              {row.original.lastUsedIp ? (
                <span
                  className="font-mono text-xs text-muted-foreground"
                  title="The address it was last used from"
                >
                  {row.original.lastUsedIp}
                </span>
              ) : null}
            </div>
          ) : (
            <span className="text-muted-foreground">Never</span>
          ),
      },
      {
        accessorKey: 'createdAt',
        header: 'Created',
        cell: ({ row }) => formatDate(row.original.createdAt),
      },
      {
        accessorKey: 'expiresAt',
        header: 'Expires',
        cell: ({ row }) =>
          row.original.expiresAt ? (
            formatDate(row.original.expiresAt)
          ) : (
            <span className="text-muted-foreground">Never</span>
          ),
      },
      {
        id: 'state',
        header: 'Status',
        enableSorting: false,
        cell: ({ row }) => {
          const state = stateOf(row.original, now);
          return <StatusBadge status={state.status} label={state.label} />;
        },
      },
      {
        id: 'actions',
        header: () => <span className="sr-only">Actions</span>,
        enableSorting: false,
        cell: ({ row }) =>
          row.original.revokedAt ? null : (
            <div className="flex justify-end">
              <ConfirmAction
                trigger={
                  <Button variant="ghost" size="sm" className="text-destructive hover:text-destructive">
                    Revoke
                  </Button>
                }
                title={`Revoke “${row.original.name}”?`}
                description="Requests with this key are refused from now on. This cannot be undone: to use the API again from there, create a new key."
                confirmLabel="Revoke key"
                destructive
                fields={{ intent: 'revoke', id: row.original.id }}
              />
            </div>
          ),
      },
    ],
    [now],
  );

  return (
    <Card>
      <CardHeader className="flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid min-w-0 flex-1 gap-1.5">
          <CardTitle>API keys</CardTitle>
          <CardDescription>
            For server-to-server calls to the REST API. A key can do what its scopes allow and what your
            account may do, nothing more; it cannot manage keys, users or sessions.
          </CardDescription>
        </div>
        <CreateApiKeyDialog scopes={scopes} result={create?.result} created={create?.created} />
      </CardHeader>
      <CardContent className="grid grid-cols-1 gap-3">
        <DataTable
          columns={columns}
          data={shown}
          caption="Your API keys"
          empty={
            <EmptyState
              icon={KeyRoundIcon}
              title={revokedCount > 0 ? 'No active keys' : 'No API keys yet'}
              description="Create one for each server or script that calls the API, so you can revoke one without touching the others."
            />
          }
        />
        {revokedCount > 0 ? (
          <div className="flex justify-end">
            <Button asChild variant="link" size="sm" className="h-auto p-0">
              <Link to={showRevoked ? '?' : '?revoked=shown'} replace preventScrollReset>
                {showRevoked
                  ? 'Hide revoked keys'
                  : `Show ${revokedCount} revoked ${revokedCount === 1 ? 'key' : 'keys'}`}
              </Link>
            </Button>
          </div>
        ) : null}
      </CardContent>
    </Card>
  );
}
