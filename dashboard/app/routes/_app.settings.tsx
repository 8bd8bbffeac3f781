import { Outlet } from 'react-router';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { PageHeader } from '~/components/page';
import { SettingsNav, type SettingsTab } from '~/components/settings/settings-nav';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.settings';

export function loader({ context }: Route.LoaderArgs) {
  const { viewer } = authOf(context);
  return { role: viewer.role };
}

export default function SettingsLayout({ loaderData }: Route.ComponentProps) {
  const tabs: SettingsTab[] = [
    { to: '/settings', label: 'Profile', end: true },
    ...(loaderData.role === 'admin' ? [] : [{ to: '/settings/company', label: 'Company' }]),
    { to: '/settings/api-keys', label: 'API keys' },
    { to: '/settings/sessions', label: 'Sessions' },
  ];
  return (
    <div className="mx-auto max-w-4xl">
      <PageHeader title="Settings" description="Your account, how you sign in, and keys for the API." />
      <SettingsNav tabs={tabs} />
      <Outlet />
    </div>
  );
}

// Inside the signed-in shell: a refused or missing page keeps the sidebar.
export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
