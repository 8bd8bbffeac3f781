import { type AppDeps, newApp } from '../src/app.ts';
import type { Database } from '../src/db/database.ts';
import type { Mailer } from '../src/mail/mailer.ts';
import { acceptingEdge } from './fixtures.ts';
import { INGEST_SECRET } from './tracking-events.ts';

export const PAYMENT_KEY = Buffer.alloc(32, 7).toString('base64');
export const JWT_SECRET = 'jwt-secret-for-tests-0123456789abcdefghij';
/** Tests name the client address in this header (the app is told to trust it, as behind a proxy). */
export const CLIENT_IP_HEADER = 'x-test-client-ip';

/** For tests that send no mail: sending one fails the test loudly. */
export const noMail: Mailer = {
  send: async () => {
    throw new Error('this test did not expect an email');
  },
};

/** The production app with test settings; override any dependency. */
export function testApp(db: Database, overrides: Partial<AppDeps> = {}) {
  return newApp({
    db,
    edge: acceptingEdge,
    ingestSigningSecret: INGEST_SECRET,
    jwtSecret: JWT_SECRET,
    paymentDetailsKey: PAYMENT_KEY,
    edgePublicUrl: 'https://go.tas.test',
    // The affiliates' endpoints in tests are local HTTP servers.
    outboundPolicy: { allowPrivateNetworks: true },
    mailer: noMail,
    publicAppUrl: 'http://app.test',
    trustedIpHeader: CLIENT_IP_HEADER,
    ...overrides,
  });
}
