import { useRouteLoaderData } from 'react-router';
import type { loader } from '~/routes/_app';

/** The signed-in user (with their company's name), from any page under the signed-in layout. */
export function useViewer() {
  const data = useRouteLoaderData<typeof loader>('routes/_app');
  if (!data) throw new Error('useViewer used outside the signed-in layout');
  return data.viewer;
}
