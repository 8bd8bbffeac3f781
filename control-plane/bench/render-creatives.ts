/**
 * `pnpm --filter @tas/control-plane bench:creatives`: renders template creatives offline and
 * prints the cold first render (fonts read, satori's WebAssembly started), then warm renders per
 * second for each placement size (every layout in turn, with a product image and a logo), the
 * cost of WebP over PNG, one 6-second video when ffmpeg is installed, and memory (RSS and V8
 * heap) before and after. Prints figures only; it asserts nothing.
 *
 * BENCH_SECONDS (2): how long to render each placement size.
 */
import { execFileSync } from 'node:child_process';
import { LAYOUT_IDS } from '../src/creatives/render/layouts.ts';
import { PLACEMENT_IDS, PLACEMENTS } from '../src/creatives/render/placements.ts';
import { renderCreatives } from '../src/creatives/render/render-creatives.ts';
import type { RenderRequestInput } from '../src/creatives/render/render-request.ts';
import { renderVideos } from '../src/creatives/render/render-video.ts';
import { sampleLogo, sampleProduct } from '../src/creatives/render/sample-images.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
function memory(label: string) {
  const { rss, heapUsed } = process.memoryUsage();
  console.log(`memory ${label}: rss ${mb(rss)}, heap ${mb(heapUsed)}`);
}

memory('before');
const product = await sampleProduct(900);
const logo = await sampleLogo();
const brandKit: RenderRequestInput['brandKit'] = {
  name: 'Lumen Skincare',
  colors: { primary: '#1e1b4b', secondary: '#f59e0b', background: '#fffbeb', text: '#1c1917' },
  font: 'inter',
  logo,
  bannedWords: ['guaranteed'],
};
const copy: RenderRequestInput['copy'] = {
  headline: 'Glow that lasts all day, naturally',
  subline: 'Vitamin C serum with 15% pure ascorbic acid. Dermatologist tested.',
  callToAction: 'Shop now',
  badge: 'New',
  productImage: product,
};
const request = (
  layout: (typeof LAYOUT_IDS)[number],
  placement: (typeof PLACEMENT_IDS)[number],
  format: 'png' | 'webp' = 'png',
): RenderRequestInput => ({ brandKit, copy, layout, placements: [placement], format });

let started = performance.now();
await renderCreatives(request('bold-split', '1200x628'));
console.log(
  `cold first render (1200x628, fonts and WebAssembly loaded): ${(performance.now() - started).toFixed(0)} ms\n`,
);

console.log('placement   name                     renders/s   ms/render (warm, all layouts in turn)');
for (const id of PLACEMENT_IDS) {
  let renders = 0;
  started = performance.now();
  while (performance.now() - started < SECONDS * 1000 || renders < LAYOUT_IDS.length) {
    await renderCreatives(request(LAYOUT_IDS[renders % LAYOUT_IDS.length]!, id));
    renders++;
  }
  const elapsed = (performance.now() - started) / 1000;
  console.log(
    `${id.padEnd(11)} ${PLACEMENTS[id].name.padEnd(24)} ${(renders / elapsed).toFixed(1).padStart(9)}   ${((elapsed * 1000) / renders).toFixed(0).padStart(9)}`,
  );
}

for (const format of ['png', 'webp'] as const) {
  const rounds = 8;
  started = performance.now();
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    const [r] = await renderCreatives(request('centered-hero', '1080x1080', format));
    bytes = r!.bytes.length;
  }
  console.log(
    `1080x1080 as ${format}: ${((performance.now() - started) / rounds).toFixed(0)} ms a render, ${(bytes / 1024).toFixed(0)} kB`,
  );
}

let ffmpeg = true;
try {
  execFileSync('ffmpeg', ['-version'], { stdio: 'ignore' });
} catch {
  ffmpeg = false;
}
if (ffmpeg) {
  started = performance.now();
  const videos = await renderVideos({ brandKit, copy, layout: 'product-spotlight' });
  const parts = videos
    .map((v) => `${v.placement} ${v.renderMs} ms encode, ${(v.bytes.length / 1024).toFixed(0)} kB`)
    .join('; ');
  console.log(
    `6 s videos: ${((performance.now() - started) / 1000).toFixed(1)} s in all (stills included); ${parts}`,
  );
} else {
  console.log('6 s videos: skipped, ffmpeg is not installed');
}
console.log();
memory('after');
