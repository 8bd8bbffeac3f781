import { PageHeader } from '~/components/page';
import { authOf } from '~/lib/auth.server';
import type { Route } from './+types/_app.dashboard';

export function meta() {
  return [{ title: 'Dashboard · TAS' }];
}

export function loader({ context }: Route.LoaderArgs) {
  return { role: authOf(context).viewer.role };
}

export default function Dashboard({ loaderData }: Route.ComponentProps) {
  return <PageHeader title="Dashboard" description={`Signed in as ${loaderData.role}.`} />;
}
