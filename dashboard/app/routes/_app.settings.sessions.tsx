import { LaptopIcon, LogOutIcon, MonitorSmartphoneIcon, SmartphoneIcon } from 'lucide-react';
import { data, Form, redirect } from 'react-router';
import { outcome } from '~/components/admin/outcome.server';
import { EmptyState } from '~/components/page';
import { describeUserAgent } from '~/components/settings/user-agent';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ConfirmAction } from '~/components/ui/confirm-action';
import type { Schemas } from '~/lib/api.server';
import { apiMessage } from '~/lib/api-errors';
import { authOf } from '~/lib/auth.server';
import { formatAgo, formatDateTime } from '~/lib/format';
import { destroySession, getSession } from '~/lib/session.server';
import type { Route } from './+types/_app.settings.sessions';

export function meta() {
  return [{ title: 'Sessions · Settings · TAS' }];
}

export async function loader({ context }: Route.LoaderArgs) {
  const { api } = authOf(context);
  const { data: sessions, error, response } = await api.GET('/api/v1/auth/sessions');
  if (!sessions) throw data({ message: apiMessage(error) }, { status: response.status });
  return { sessions: sessions.data, now: new Date().toISOString() };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { api } = authOf(context);
  const form = await request.formData();
  const intent = form.get('intent');
  if (intent === 'end') {
    const id = String(form.get('id') ?? '');
    const { error, response } = await api.DELETE('/api/v1/auth/sessions/{id}', { params: { path: { id } } });
    return response.ok
      ? outcome(request, true, 'Session ended: that device is logged out.')
      : outcome(request, false, apiMessage(error), response.status);
  }
  if (intent === 'others') {
    const { data: ended, error, response } = await api.POST('/api/v1/auth/logout-others');
    if (!ended) return outcome(request, false, apiMessage(error), response.status);
    return outcome(
      request,
      true,
      ended.revoked === 0
        ? 'No other session was open.'
        : `Logged out everywhere else: ${ended.revoked} ${ended.revoked === 1 ? 'session' : 'sessions'} ended.`,
    );
  }
  if (intent === 'everywhere') {
    const { data: ended, error, response } = await api.POST('/api/v1/auth/logout-everywhere');
    if (!ended) return outcome(request, false, apiMessage(error), response.status);
    // This session ended too: forget it here and sign in again.
    return redirect('/login', {
      headers: { 'set-cookie': await destroySession(await getSession(request)) },
    });
  }
  throw data({ message: 'Unknown action.' }, { status: 400 });
}

type OwnSession = Schemas['OwnSession'];

function SessionRow({ session, now }: { session: OwnSession; now: string }) {
  const device = describeUserAgent(session.userAgent);
  const Icon = device.mobile ? SmartphoneIcon : session.userAgent ? LaptopIcon : MonitorSmartphoneIcon;
  const title = device.system ? `${device.browser} on ${device.system}` : device.browser;
  return (
    <li className="flex flex-col gap-3 px-5 py-4 sm:flex-row sm:items-center">
      <div className="flex min-w-0 flex-1 items-start gap-3">
        <div className="flex size-9 shrink-0 items-center justify-center rounded-full bg-muted text-muted-foreground">
          <Icon className="size-4" aria-hidden />
        </div>
        <div className="min-w-0 space-y-0.5">
          <p className="flex flex-wrap items-center gap-2 text-sm font-medium">
            {title}
            {session.current ? <Badge variant="success">This device</Badge> : null}
          </p>
          <p className="text-xs text-muted-foreground">
            <span className="font-mono">{session.ip ?? 'address unknown'}</span>
            {' · '}
            {session.current ? 'active now' : `last active ${formatAgo(session.lastUsedAt, now)}`}
            {' · '}
            <span title={session.createdAt}>signed in {formatDateTime(session.createdAt)} UTC</span>
          </p>
          {session.userAgent ? (
            <p className="truncate text-xs text-muted-foreground" title={session.userAgent}>
              {session.userAgent}
            </p>
          ) : null}
        </div>
      </div>
      <div className="flex shrink-0 justify-end pl-12 sm:pl-0">
        {session.current ? (
          <Form method="post" action="/logout">
            <Button type="submit" variant="outline" size="sm">
              <LogOutIcon /> Log out
            </Button>
          </Form>
        ) : (
          <ConfirmAction
            trigger={
              <Button variant="outline" size="sm">
                End session
              </Button>
            }
            title={`End the session of ${title}?`}
            description="That device is logged out at once and has to sign in again."
            confirmLabel="End session"
            destructive
            fields={{ intent: 'end', id: session.id }}
          />
        )}
      </div>
    </li>
  );
}

export default function Sessions({ loaderData }: Route.ComponentProps) {
  const { sessions, now } = loaderData;
  const others = sessions.filter((s) => !s.current).length;
  return (
    <Card>
      <CardHeader className="flex-col gap-3 sm:flex-row sm:items-start sm:justify-between">
        <div className="grid min-w-0 flex-1 gap-1.5">
          <CardTitle>Sessions</CardTitle>
          <CardDescription>
            Where you are signed in. End any you do not recognise, then change your password.
          </CardDescription>
        </div>
        <div className="flex flex-wrap gap-2">
          {others > 0 ? (
            <ConfirmAction
              trigger={
                <Button variant="outline" size="sm">
                  <LogOutIcon /> Log out everywhere else
                </Button>
              }
              title="Log out everywhere else?"
              description={`Your ${others} other ${others === 1 ? 'session ends' : 'sessions end'} at once; this one stays signed in. API keys keep working.`}
              confirmLabel="Log out other sessions"
              destructive
              fields={{ intent: 'others' }}
            />
          ) : null}
          <ConfirmAction
            trigger={
              <Button variant="outline" size="sm" className="text-destructive hover:text-destructive">
                <LogOutIcon /> Sign out everywhere
              </Button>
            }
            title="Sign out everywhere, API keys too?"
            description="Every session ends, this one included, and every API key of yours is revoked for good: for when you fear a password, token or key leaked. Sign in again after, and make new keys."
            confirmLabel="Sign out everywhere"
            destructive
            fields={{ intent: 'everywhere' }}
          />
        </div>
      </CardHeader>
      <CardContent className="p-0">
        {sessions.length === 0 ? (
          <div className="p-5 pt-0">
            <EmptyState icon={MonitorSmartphoneIcon} title="No open sessions" />
          </div>
        ) : (
          <ul className="divide-y border-t">
            {sessions.map((session) => (
              <SessionRow key={session.id} session={session} now={now} />
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
