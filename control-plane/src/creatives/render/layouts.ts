import type { Layout } from './layout.ts';
import { boldSplit } from './layouts/bold-split.ts';
import { centeredHero } from './layouts/centered-hero.ts';
import { minimalCard } from './layouts/minimal-card.ts';
import { productSpotlight } from './layouts/product-spotlight.ts';

/** The templates a creative can use, by id. */
export const LAYOUTS = {
  'bold-split': boldSplit,
  'centered-hero': centeredHero,
  'minimal-card': minimalCard,
  'product-spotlight': productSpotlight,
} as const satisfies Record<string, Layout>;

export type LayoutId = keyof typeof LAYOUTS;
export const LAYOUT_IDS = Object.keys(LAYOUTS) as [LayoutId, ...LayoutId[]];
