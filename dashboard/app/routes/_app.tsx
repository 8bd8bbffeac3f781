import { useState } from 'react';
import { Outlet, type ShouldRevalidateFunctionArgs, useRouteLoaderData } from 'react-router';
import { AppShell } from '~/components/app-shell';
import { CommandPalette } from '~/components/command-palette';
import { GeneralErrorBoundary } from '~/components/error-boundary';
import { authOf, requireAuth } from '~/lib/auth.server';
import type { Route } from './+types/_app';

export const middleware: Route.MiddlewareFunction[] = [requireAuth];

/** Who is signed in, and their company's name for the top bar. */
export async function loader({ context }: Route.LoaderArgs) {
  const { api, viewer } = authOf(context);
  let companyName: string | null = null;
  if (viewer.advertiserId !== null) {
    const { data } = await api.GET('/api/v1/advertisers/{id}', {
      params: { path: { id: String(viewer.advertiserId) } },
    });
    companyName = data?.companyName ?? null;
  } else if (viewer.affiliateId !== null) {
    const { data } = await api.GET('/api/v1/affiliates/{id}', {
      params: { path: { id: String(viewer.affiliateId) } },
    });
    companyName = data?.companyName ?? null;
  }
  return { viewer: { ...viewer, companyName } };
}

// The company's name does not change between pages: the layout is read again only after a form
// (which may have changed it) or when the user changes.
export function shouldRevalidate({ formMethod, defaultShouldRevalidate }: ShouldRevalidateFunctionArgs) {
  return formMethod !== undefined && formMethod !== 'GET' ? defaultShouldRevalidate : false;
}

export default function AppLayout({ loaderData }: Route.ComponentProps) {
  const root = useRouteLoaderData<{ theme: string }>('root');
  const [searching, setSearching] = useState(false);
  return (
    <AppShell viewer={loaderData.viewer} theme={root?.theme ?? 'system'} onSearch={() => setSearching(true)}>
      <Outlet />
      <CommandPalette role={loaderData.viewer.role} open={searching} onOpenChange={setSearching} />
    </AppShell>
  );
}

/**
 * A page that fails (a 403 for a role, a 404, an API refusal) is answered inside the shell, so
 * the way back stays in view; only when the layout itself failed is it answered alone.
 */
export function ErrorBoundary() {
  const data = useRouteLoaderData<typeof loader>('routes/_app');
  const root = useRouteLoaderData<{ theme: string }>('root');
  const [searching, setSearching] = useState(false);
  if (!data) return <GeneralErrorBoundary />;
  return (
    <AppShell viewer={data.viewer} theme={root?.theme ?? 'system'} onSearch={() => setSearching(true)}>
      <GeneralErrorBoundary />
      <CommandPalette role={data.viewer.role} open={searching} onOpenChange={setSearching} />
    </AppShell>
  );
}
