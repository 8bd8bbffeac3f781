import type { LandingPage } from '@tas/shared/offer-config';
import { pickByWeight } from '../rotation/pick-by-weight.ts';

/** Picks a landing page with probability proportional to its weight. `random` is in [0, 1). */
export function pickLandingPage(pages: readonly LandingPage[], random = Math.random()): LandingPage | null {
  return pickByWeight(pages, random);
}
