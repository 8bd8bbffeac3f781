import { type AppDeps, newApp } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import { NO_RATE_LIMITS } from '../src/http/rate-limit/rate-limits.ts';
import type { Mailer, MailMessage } from '../src/mail/mailer.ts';
import { acceptingEdge } from './fixtures.ts';
import { INGEST_SECRET } from './tracking-events.ts';

export const PAYMENT_KEY = Buffer.alloc(32, 7).toString('base64');
export const JWT_SECRET = 'jwt-secret-for-tests-0123456789abcdefghij';
/** Tests name the client address in this header (the app is told to trust it, as behind a proxy). */
export const CLIENT_IP_HEADER = 'x-test-client-ip';

/** Takes every mail and sends it nowhere; the app's outbox (`sentMail`) still sees it. */
export const noMail: Mailer = { send: async () => {} };

const outboxes = new WeakMap<object, MailMessage[]>();

/** The production app with test settings; override any dependency. */
export function testApp(db: Database, overrides: Partial<AppDeps> = {}) {
  // Every mail the app starts sending is kept here too (whatever mailer a test gives), so
  // helpers can follow emailed links, e.g. to verify a sign-up.
  const outbox: MailMessage[] = [];
  const forward = overrides.mailer ?? noMail;
  const app = newApp({
    db,
    edge: acceptingEdge,
    ingestSigningSecret: INGEST_SECRET,
    jwtSecret: JWT_SECRET,
    paymentDetailsKey: PAYMENT_KEY,
    edgePublicUrl: 'https://go.tas.test',
    // The affiliates' endpoints in tests are local HTTP servers.
    outboundPolicy: { allowPrivateNetworks: true },
    publicAppUrl: 'http://app.test',
    trustedIpHeader: CLIENT_IP_HEADER,
    // Test files make hundreds of requests as one user; the rate-limit tests turn limits on.
    rateLimits: NO_RATE_LIMITS,
    ...overrides,
    mailer: {
      send: (message) => {
        outbox.push(message);
        return forward.send(message);
      },
    },
  });
  outboxes.set(app, outbox);
  return app;
}

/** The mails `app` has started sending, oldest first. */
export function sentMail(app: object): MailMessage[] {
  const outbox = outboxes.get(app);
  if (!outbox) throw new Error('not an app made by testApp');
  return outbox;
}
