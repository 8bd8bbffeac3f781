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
import type { Route } from './+types/_app.advertisers._index';

export function meta() {
  return [{ title: 'Advertisers · TAS' }];
}

const STATUSES = [
  { value: 'active', label: 'Active' },
  { value: 'suspended', label: 'Suspended' },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  const auth = authOf(context);
  // An advertiser's own company is under its settings; affiliates have no business here.
  if (auth.viewer.role === 'advertiser') throw redirect('/settings/company');
  const { api } = requireRole(auth, 'admin');
  return listCompanies(api, 'advertiser', new URL(request.url).searchParams);
}

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = requireRole(authOf(context), 'admin');
  const created = await createCompany(api, 'advertiser', await request.formData());
  if (!created.ok) return created.reply;
  throw redirect(`/advertisers/${created.id}`, {
    headers: {
      'set-cookie': await flashToast(request, {
        kind: 'success',
        message: `${created.name} created. Add a login for it here.`,
      }),
    },
  });
}

export default function Advertisers({ loaderData, actionData }: Route.ComponentProps) {
  const { rows, total, counts, nextAfter } = loaderData;
  const [params] = useSearchParams();
  const filtered = Boolean(params.get('q') || params.get('status'));
  const result = (actionData as FormActionData | undefined)?.result;
  return (
    <>
      <PageHeader
        title="Advertisers"
        description="The companies whose offers run on the network."
        actions={<NewCompanyDialog kind="advertiser" lastResult={result} />}
      />
      <CompanyFilters statuses={STATUSES} counts={counts} total={total} noun="advertisers" />
      <CompanyTable
        kind="advertiser"
        rows={rows}
        empty={
          filtered ? (
            <EmptyState
              icon={SearchXIcon}
              title="No advertiser matches"
              description="Try another name, or clear the filters."
              action={
                <Button asChild variant="outline" size="sm">
                  <Link to="/advertisers">Clear filters</Link>
                </Button>
              }
            />
          ) : (
            <EmptyState
              icon={Building2Icon}
              title="No advertisers yet"
              description="Add the first company whose offers you will run. Advertisers who sign up themselves appear here too."
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
