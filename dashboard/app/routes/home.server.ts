/** Where the other services answer, from the environment the stack launcher sets. */
export function dashboardLinks(env: Record<string, string | undefined>) {
  return {
    edgeUrl: env.TAS_EDGE_URL ?? 'http://127.0.0.1:8787',
    apiUrl: env.TAS_API_URL ?? 'http://127.0.0.1:8788',
  };
}
