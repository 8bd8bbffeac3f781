import { type ReactNode, useEffect } from 'react';
import { data, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from 'react-router';
import { Toaster, toast } from 'sonner';
import type { Route } from './+types/root';
import './app.css';
import { GeneralErrorBoundary } from './components/error-boundary';
import { TooltipProvider } from './components/ui/tooltip';
import { refuseCrossSiteActions } from './lib/csrf.server';
import { commitSession, getSession } from './lib/session.server';
import { themeOf } from './lib/theme.server';

export const middleware: Route.MiddlewareFunction[] = [refuseCrossSiteActions];

export async function loader({ request }: Route.LoaderArgs) {
  const session = await getSession(request);
  const toastMessage = session.get('toast') ?? null;
  const headers = toastMessage ? { 'set-cookie': await commitSession(session) } : undefined;
  return data({ theme: await themeOf(request), toast: toastMessage }, headers ? { headers } : undefined);
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>('root');
  const theme = root?.theme ?? 'system';
  return (
    <html lang="en" className={theme === 'dark' ? 'dark' : theme === 'system' ? 'system' : undefined}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content={theme === 'system' ? 'light dark' : theme} />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        <TooltipProvider delayDuration={300}>{children}</TooltipProvider>
        <Toaster position="bottom-right" richColors closeButton theme={theme} />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App({ loaderData }: Route.ComponentProps) {
  const message = loaderData.toast;
  useEffect(() => {
    if (!message) return;
    if (message.kind === 'error') toast.error(message.message);
    else if (message.kind === 'success') toast.success(message.message);
    else toast(message.message);
  }, [message]);
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}

export function links() {
  return [{ rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' }];
}

export function meta() {
  return [{ title: 'TAS' }, { name: 'description', content: 'TAS: affiliate tracking and management' }];
}
