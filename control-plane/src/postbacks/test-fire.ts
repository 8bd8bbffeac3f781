import type { MacroValues } from '@tas/shared/macros';
import type { Database } from '../db/database.ts';
import { type PostbackConfig, postbackAttempts } from '../db/schema/postback-configs.ts';
import type { OutboundPolicy } from './outbound-guard.ts';
import { renderPostback } from './render-postback.ts';
import { sendPostback } from './send-postback.ts';

/** Sample values, recognisable as a test in the affiliate's logs. */
export function testMacros(config: PostbackConfig, now: Date): MacroValues {
  return {
    click_id: 'TEST-CLICK-ID',
    offer_id: config.offerId ?? 0,
    aff_id: config.affiliateId,
    sub1: 'test-sub1',
    sub2: 'test-sub2',
    sub3: 'test-sub3',
    sub4: 'test-sub4',
    sub5: 'test-sub5',
    source_id: 'test-source',
    event: 'conversion',
    payout: '1.00',
    currency: 'USD',
    txid: 'TEST-TXID',
    conversion_id: '00000000-0000-4000-8000-000000000000',
    status: 'approved',
    country: 'US',
    ip: '203.0.113.1',
    timestamp: Math.floor(now.getTime() / 1000),
  };
}

/** Fires the configuration once with sample values and logs the attempt like any other. */
export async function testFire(
  db: Database,
  config: PostbackConfig,
  policy: OutboundPolicy,
  now = new Date(),
) {
  const result = await sendPostback(renderPostback(config, testMacros(config, now)), policy);
  const [attempt] = await db
    .insert(postbackAttempts)
    .values({ postbackConfigId: config.id, kind: 'test', ...result })
    .returning();
  if (!attempt) throw new Error('insert returned no row');
  return attempt;
}
