import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeRecorder } from '../../test/edge-recorder.ts';
import { testDatabases } from '../../test/test-databases.ts';
import { createAdvertiser } from '../advertisers/advertiser-service.ts';
import { createAffiliate } from '../affiliates/affiliate-service.ts';
import type { DatabaseHandle } from '../db/database.ts';
import { offers } from '../db/schema/offers.ts';
import type { EdgePublisher } from '../edge-sync/edge-publisher.ts';
import { resyncEdge } from '../edge-sync/resync.ts';
import { createOffer, setOfferAccess, updateOffer } from './offer-service.ts';

describe.each(testDatabases)('offers are published to the edge on $name', ({ open }) => {
  let handle: DatabaseHandle;
  let recorder: Awaited<ReturnType<typeof startEdgeRecorder>>;
  let edge: EdgePublisher;
  beforeAll(async () => {
    handle = await open();
    recorder = await startEdgeRecorder();
    edge = recorder.edge;
  });
  afterAll(async () => {
    await recorder.close();
    await handle.close();
  });

  const base = async () => ({
    advertiserId: (await createAdvertiser(handle.db, { companyName: 'A' })).id,
    name: 'O',
    payoutType: 'cpa' as const,
    destinationUrl: 'https://adv.test/?c={click_id}',
  });

  it('publishes a live offer on creation and each change, and removes it when archived', async () => {
    recorder.received.length = 0;
    const offer = await createOffer(
      { db: handle.db, edge },
      { ...(await base()), status: 'active', postbackSecret: 'hunter22', events: ['conversion', 'sale'] },
    );
    expect(recorder.received).toEqual([
      {
        upsert: {
          offers: [
            expect.objectContaining({
              id: offer.id,
              status: 'active',
              events: ['conversion', 'sale'],
              // Only the SHA-256 of the secret: the secret itself never leaves the control plane.
              postbackSecretSha256: createHash('sha256').update('hunter22').digest('hex'),
              revision: 1,
            }),
          ],
          affiliates: [],
        },
        remove: { offers: [], affiliates: [] },
      },
    ]);
    expect(JSON.stringify(recorder.received)).not.toContain('hunter22');

    await updateOffer({ db: handle.db, edge }, offer.id, { status: 'paused' });
    expect(recorder.received.at(-1)?.upsert.offers).toEqual([
      expect.objectContaining({ status: 'paused', revision: 2 }),
    ]);
    await updateOffer({ db: handle.db, edge }, offer.id, { status: 'archived' });
    expect(recorder.received.at(-1)?.remove.offers).toEqual([offer.id]);
  });

  it('does not publish drafts, and publishes approvals of private offers', async () => {
    recorder.received.length = 0;
    const offer = await createOffer({ db: handle.db, edge }, { ...(await base()), visibility: 'private' });
    expect(recorder.received.at(-1)?.remove.offers).toEqual([offer.id]);
    const affiliate = await createAffiliate({ db: handle.db, edge }, { companyName: 'Aff' });
    await updateOffer({ db: handle.db, edge }, offer.id, { status: 'active' });
    expect(recorder.received.at(-1)?.upsert.offers[0]?.approvedAffiliateIds).toEqual([]);
    await setOfferAccess({ db: handle.db, edge }, offer.id, affiliate.id, 'approved');
    expect(recorder.received.at(-1)?.upsert.offers[0]?.approvedAffiliateIds).toEqual([affiliate.id]);
  });

  it('rolls the change back when the edge cannot take it, so Postgres and KV agree', async () => {
    const offer = await createOffer({ db: handle.db, edge }, { ...(await base()), status: 'active' });
    recorder.fail(true);
    try {
      await expect(
        updateOffer({ db: handle.db, edge }, offer.id, { status: 'paused' }),
      ).rejects.toMatchObject({
        code: 'edge_unavailable',
      });
    } finally {
      recorder.fail(false);
    }
    const [stored] = await handle.db.select().from(offers).where(eq(offers.id, offer.id));
    expect(stored).toMatchObject({ status: 'active', revision: 1 });
  });

  it('refuses invalid offers before touching the database', async () => {
    const input = await base();
    await expect(
      createOffer({ db: handle.db, edge }, { ...input, destinationUrl: 'javascript:alert(1)' }),
    ).rejects.toThrow();
    await expect(createOffer({ db: handle.db, edge }, { ...input, defaultEvent: 'sale' })).rejects.toThrow(
      /defaultEvent/,
    );
    await expect(createOffer({ db: handle.db, edge }, { ...input, payoutMinor: 1.5 })).rejects.toThrow();
  });

  it('resync rebuilds the whole edge configuration from Postgres', async () => {
    recorder.received.length = 0;
    const result = await resyncEdge(handle.db, edge);
    const all = await handle.db.select().from(offers);
    expect(result.offers).toBe(all.length);
    const published = recorder.received.flatMap((r) => r.upsert.offers.map((o) => o.id));
    const removed = recorder.received.flatMap((r) => r.remove.offers);
    expect([...published, ...removed].sort()).toEqual(all.map((o) => o.id).sort());
    expect(removed.sort()).toEqual(
      all
        .filter((o) => o.status === 'draft' || o.status === 'archived')
        .map((o) => o.id)
        .sort(),
    );
    expect(recorder.received.flatMap((r) => r.upsert.affiliates)).toHaveLength(result.affiliates);
  });
});
