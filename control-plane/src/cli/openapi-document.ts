import { newApp } from '../app.ts';
import type { Database } from '../db/database.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { NO_RATE_LIMITS } from '../http/rate-limit/rate-limits.ts';

/**
 * The control plane's OpenAPI document, built from the same routes the server runs (nothing is
 * served or stored: documenting needs no database). The dashboard types its API client from it.
 */
export async function openApiDocument(): Promise<unknown> {
  const unused = new Proxy(
    {},
    {
      get() {
        throw new Error('documenting the API touched a dependency it must not need');
      },
    },
  );
  const app = newApp({
    db: unused as Database,
    edge: unused as EdgePublisher,
    ingestSigningSecret: 'x'.repeat(32),
    jwtSecret: 'x'.repeat(32),
    mailer: { send: async () => {} },
    publicAppUrl: 'http://localhost',
    paymentDetailsKey: Buffer.alloc(32).toString('base64'),
    edgePublicUrl: 'http://localhost',
    outboundPolicy: { allowPrivateNetworks: false },
    // Counting requests would need the database.
    rateLimits: NO_RATE_LIMITS,
  });
  const response = await app.request('/api/openapi.json');
  if (!response.ok) throw new Error(`the OpenAPI document answered ${response.status}`);
  return response.json();
}
