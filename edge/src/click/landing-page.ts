import type { LandingPage } from '@tas/shared/offer-config';

/** Picks a landing page with probability proportional to its weight. `random` is in [0, 1). */
export function pickLandingPage(pages: readonly LandingPage[], random = Math.random()): LandingPage | null {
  if (pages.length === 0) return null;
  const total = pages.reduce((sum, page) => sum + page.weight, 0);
  let point = random * total;
  for (const page of pages) {
    point -= page.weight;
    if (point < 0) return page;
  }
  return pages[pages.length - 1]!;
}
