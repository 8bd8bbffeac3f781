import type { Route } from './+types/home';
import { dashboardLinks } from './home.server';

export function meta() {
  return [{ title: 'TAS dashboard' }];
}

export function loader() {
  return dashboardLinks(process.env);
}

export default function Home({ loaderData }: Route.ComponentProps) {
  return (
    <main>
      <h1>TAS</h1>
      <p>
        The dashboard for advertisers, affiliates and admins is being built. Until then, the control plane
        answers on its API and the edge tracks clicks and postbacks.
      </p>
      <ul>
        <li>
          Edge: <a href={loaderData.edgeUrl}>{loaderData.edgeUrl}</a>
        </li>
        <li>
          Control plane: <a href={loaderData.apiUrl}>{loaderData.apiUrl}</a>
        </li>
      </ul>
    </main>
  );
}
