/**
 * `npx tsx bench/render-examples.ts`: renders the example creatives in
 * docs/creatives/examples/ (each layout for four brands and a few placements, one of them from a
 * master photo) and writes them as palette PNGs, small enough to keep in the repository.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { BrandKitInput } from '../src/creatives/render/brand-kit.ts';
import type { LayoutId } from '../src/creatives/render/layouts.ts';
import type { PlacementId } from '../src/creatives/render/placements.ts';
import { renderCreatives } from '../src/creatives/render/render-creatives.ts';
import { renderMasterEdits } from '../src/creatives/render/render-master.ts';
import type { RenderedCreative } from '../src/creatives/render/render-placements.ts';
import { samplePhoto, sampleProduct } from '../src/creatives/render/sample-images.ts';

const OUT = fileURLToPath(new URL('../../docs/creatives/examples/', import.meta.url));

const kits = {
  skincare: {
    name: 'Lumen Skincare',
    colors: { primary: '#1e1b4b', secondary: '#f59e0b', background: '#fffbeb', text: '#1c1917' },
    font: 'inter',
  },
  travel: {
    name: 'Northwind Travel',
    colors: { primary: '#0f766e', secondary: '#f97316', background: '#f8fafc', text: '#0f172a' },
    font: 'poppins',
  },
  finance: {
    name: 'Ledgerly',
    colors: { primary: '#0b3b2e', secondary: '#34d399', background: '#f5f1e8', text: '#14241f' },
    font: 'playfair-display',
  },
  coffee: {
    name: 'Roast & Co.',
    colors: { primary: '#7c2d12', secondary: '#facc15', background: '#fdf6ec', text: '#2b1a10' },
    font: 'roboto-slab',
  },
} satisfies Record<string, BrandKitInput>;

const product = await sampleProduct(900);
const photo = await samplePhoto();

const sets: {
  file: string;
  layout: LayoutId;
  placements: PlacementId[];
  render: (placements: PlacementId[]) => Promise<RenderedCreative[]>;
}[] = [
  {
    file: 'bold-split',
    layout: 'bold-split',
    placements: ['1200x628', '1080x1920', '300x250', '728x90'],
    render: (placements) =>
      renderCreatives({
        brandKit: kits.skincare,
        copy: {
          headline: 'Glow that lasts all day, naturally',
          subline: 'Vitamin C serum with 15% pure ascorbic acid. Dermatologist tested.',
          callToAction: 'Shop now',
          productImage: product,
        },
        layout: 'bold-split',
        placements,
      }),
  },
  {
    file: 'centered-hero-from-master',
    layout: 'centered-hero',
    placements: ['1200x628', '1080x1920', '300x250', '320x50'],
    render: (placements) =>
      renderMasterEdits({
        master: photo,
        brandKit: kits.travel,
        copy: {
          headline: 'Sunsets you will remember for years',
          subline: 'Seven nights by the lake, breakfast and kayaks included.',
          callToAction: 'Book your stay',
          badge: 'Summer -20%',
        },
        layout: 'centered-hero',
        placements,
      }),
  },
  {
    file: 'minimal-card',
    layout: 'minimal-card',
    placements: ['1200x628', '1080x1080', '300x250', '160x600'],
    render: (placements) =>
      renderCreatives({
        brandKit: kits.finance,
        copy: {
          headline: 'Close your books in minutes, not days',
          subline: 'Automatic reconciliation for growing teams. Free for 30 days.',
          callToAction: 'Start free trial',
        },
        layout: 'minimal-card',
        placements,
      }),
  },
  {
    file: 'product-spotlight',
    layout: 'product-spotlight',
    placements: ['1200x628', '1080x1920', '300x250', '728x90'],
    render: (placements) =>
      renderCreatives({
        brandKit: kits.coffee,
        copy: {
          headline: 'Cold brew, bottled at the roastery',
          subline: 'Twelve hours slow-steeped. Delivered chilled, twice a month.',
          callToAction: 'Order now',
          badge: 'New',
          productImage: product,
        },
        layout: 'product-spotlight',
        placements,
      }),
  },
];

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
let total = 0;
for (const set of sets) {
  for (const creative of await set.render(set.placements)) {
    // A 256-colour palette with dithering keeps gradients smooth at a fifth of the size.
    const png = await sharp(creative.bytes)
      .png({ palette: true, quality: 90, effort: 10, dither: 1 })
      .toBuffer();
    const file = `${set.file}-${creative.placement}.png`;
    await writeFile(`${OUT}${file}`, png);
    total += png.length;
    console.log(
      `${file.padEnd(44)} ${(png.length / 1024).toFixed(0).padStart(5)} kB  (${creative.renderMs} ms)`,
    );
  }
}
console.log(`total ${(total / 1024).toFixed(0)} kB in ${OUT}`);
