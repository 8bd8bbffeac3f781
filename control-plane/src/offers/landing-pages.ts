import { and, eq, notInArray } from 'drizzle-orm';
import type { z } from 'zod';
import type { Database } from '../db/database.ts';
import { offerLandingPages } from '../db/schema/offers.ts';
import { ApiError } from '../http/api-error.ts';
import type { landingPageInputSchema } from './offer-schemas.ts';

type LandingPageInput = z.output<typeof landingPageInputSchema>;

/**
 * Makes the offer's active landing pages exactly `pages`: ids update those pages, pages without
 * an id are added, pages left out are retired (kept, since old clicks name them).
 */
export async function replaceLandingPages(db: Database, offerId: number, pages: LandingPageInput[]) {
  const existing = await db.select().from(offerLandingPages).where(eq(offerLandingPages.offerId, offerId));
  const known = new Set(existing.map((p) => p.id));
  const keep: number[] = [];
  for (const page of pages) {
    if (page.id === undefined) {
      const [created] = await db
        .insert(offerLandingPages)
        .values({ offerId, name: page.name, url: page.url, weight: page.weight })
        .returning({ id: offerLandingPages.id });
      if (created) keep.push(created.id);
      continue;
    }
    if (!known.has(page.id)) {
      throw new ApiError('invalid_request', `Landing page ${page.id} is not a page of offer ${offerId}.`);
    }
    keep.push(page.id);
    await db
      .update(offerLandingPages)
      .set({ name: page.name, url: page.url, weight: page.weight, isActive: true })
      .where(eq(offerLandingPages.id, page.id));
  }
  await db
    .update(offerLandingPages)
    .set({ isActive: false })
    .where(
      and(
        eq(offerLandingPages.offerId, offerId),
        keep.length ? notInArray(offerLandingPages.id, keep) : undefined,
      ),
    );
}
