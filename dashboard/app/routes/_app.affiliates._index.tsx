import { Building2Icon, SearchXIcon } from 'lucide-react';
import { Link, redirect, useSearchParams } from 'react-router';
import type { FormActionData } from '~/components/admin/company.server';
import { createCompany, listCompanies } from '~/components/admin/company.server';
import { CompanyFilters, CompanyTable, NewCompanyDialog } from '~/components/admin/company-list';
import { Pager } from '~/components/data-table';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { EmptyState, PageHeader } from '~/components/page';
import { Button } from '~/components/ui/button';
import { authOf, requireRole } from '~/lib/auth.server';
import { flashToast } from '~/lib/session.server';
import type { Route } from './+types/_app.affiliates._index';

export function meta() {
  return [{ title: 'Affiliates · TAS' }];
}

const STATUSES = [
  { value: 'pending', label: 'Waiting for approval' },
  { value: 'active', label: 'Active' },
  { value: 'suspended', label: 'Suspended' },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  // An affiliate's own company is under its settings; affiliates have no business here.
  if (auth.viewer.role === 'affiliate') throw redirect('/settings/company');
  const { api } = requireRole(auth, 'admin');
  return listCompanies(api, 'affiliate', new URL(request.url).searchParams);
}

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const created = await createCompany(api, 'affiliate', await request.formData());
  if (!created.ok) return created.reply;
  throw redirect(`/affiliates/${created.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: `${created.name} created. Add a login for it here.`,
      }),
    },
  });
}

export default function Affiliates({ loaderData, actionData }: Route.ComponentProps) {
  const { rows, total, counts, nextAfter } = loaderData;
  const [params] = useSearchParams();
  const filtered = Boolean(params.get('q') || params.get('status'));
  const result = (actionData as FormActionData | undefined)?.result;
  return (
    <>
      <PageHeader
        title="Affiliates"
        description="Publishers who send traffic to the network's offers. Only active affiliates' clicks are accepted."
        actions={<NewCompanyDialog kind="affiliate" lastResult={result} />}
      />
      <CompanyFilters statuses={STATUSES} counts={counts} total={total} noun="affiliates" />
      <CompanyTable
        kind="affiliate"
        rows={rows}
        empty={
          filtered ? (
            <EmptyState
              icon={SearchXIcon}
              title="No affiliate matches"
              description="Try another name, or clear the filters."
              action={
                <Button asChild variant="outline" size="sm">
                  <Link to="/affiliates">Clear filters</Link>
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={Building2Icon}
              title="No affiliates yet"
              description="Add a publisher yourself, or share the sign-up page: affiliates who sign up wait here for your approval."
            />
          )
        }
      />
      <Pager next={nextAfter} />
    </>
  );
}

// Inside the signed-in shell: a refused or missing page keeps the sidebar.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
