import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { contains } from './box.ts';
import type { BrandKitInput } from './brand-kit.ts';
import { LAYOUT_IDS } from './layouts.ts';
import { colourSpread, decode, difference } from './pixel-checks.ts';
import { PLACEMENT_IDS, type PlacementId, placement } from './placements.ts';
import { renderCreatives } from './render-creatives.ts';
import { CreativeRenderError } from './render-error.ts';
import { sampleLogo, sampleProduct } from './sample-images.ts';

const brandKit: BrandKitInput = {
  name: 'Lumen Skincare',
  colors: { primary: '#1e1b4b', secondary: '#f59e0b', background: '#fffbeb', text: '#1c1917' },
  font: 'inter',
  bannedWords: ['guaranteed', 'risk free'],
};
const copy = {
  headline: 'Glow that lasts all day',
  subline: 'Vitamin C serum, dermatologist tested.',
  callToAction: 'Shop now',
  badge: 'New',
};
const LONG_HEADLINE =
  'Our biggest summer sale ever: every serum, cream and cleanser in the shop at half price, with free delivery, free returns and a gift in every order, only until Sunday';
const SMALL: PlacementId[] = ['300x250', '728x90', '160x600', '320x50'];

let product: Buffer;
beforeAll(async () => {
  product = await sampleProduct(400);
});

describe('renderCreatives', () => {
  it('renders every placement at exactly its size, with real content, a checksum and the copy in the safe area', async () => {
    const rendered = await renderCreatives({
      brandKit,
      copy: { ...copy, productImage: product },
      layout: 'bold-split',
    });
    expect(rendered.map((r) => r.placement)).toEqual(PLACEMENT_IDS);
    for (const r of rendered) {
      const meta = await sharp(r.bytes).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', r.width, r.height]);
      expect(r.placement).toBe(`${r.width}x${r.height}`);
      expect(r.contentType).toBe('image/png');
      expect(r.checksum).toBe(createHash('sha256').update(r.bytes).digest('hex'));
      expect(await colourSpread(r.bytes), r.placement).toBeGreaterThan(25);
      expect(contains(placement(r.placement).safeArea, r.textArea), r.placement).toBe(true);
      expect(r.renderMs).toBeGreaterThan(0);
    }
  });

  describe.each(LAYOUT_IDS)('the %s layout', (layout) => {
    it('recomposes for each small placement: a headline changes only its text area, a long one is fitted inside it', async () => {
      const render = (headline: string) =>
        renderCreatives({
          brandKit,
          copy: { ...copy, headline, productImage: product },
          layout,
          placements: SMALL,
        });
      const [short, long] = [await render('Glow that lasts all day'), await render(LONG_HEADLINE)];
      for (const [i, id] of SMALL.entries()) {
        const { width, height, safeArea } = placement(id);
        const [a, b] = [await decode(short[i]!.bytes), await decode(long[i]!.bytes)];
        expect([a.width, a.height], id).toEqual([width, height]);
        expect(await colourSpread(short[i]!.bytes), id).toBeGreaterThan(20);
        // The text area does not depend on the copy, and lies in the safe area.
        expect(long[i]!.textArea, id).toEqual(short[i]!.textArea);
        expect(contains(safeArea, short[i]!.textArea), id).toBe(true);
        // The headline is drawn where the layout says, and a far too long one stays there:
        // nothing outside the text area moves.
        const changed = difference(a, b);
        expect(changed.count, id).toBeGreaterThan(40);
        expect(changed.outside(short[i]!.textArea), id).toBe(0);
      }
    });
  });

  it('fits a long headline in a big placement without touching anything outside the safe area', async () => {
    const render = (headline: string) =>
      renderCreatives({
        brandKit,
        copy: { ...copy, headline },
        layout: 'centered-hero',
        placements: ['1200x628'],
      });
    const [short, long] = await Promise.all([render('Glow'), render(LONG_HEADLINE)]);
    const changed = difference(await decode(short[0]!.bytes), await decode(long[0]!.bytes));
    expect(changed.count).toBeGreaterThan(1000);
    expect(changed.outside(placement('1200x628').safeArea)).toBe(0);
  });

  it('writes WebP when asked, and uses the logo', async () => {
    const [withLogo] = await renderCreatives({
      brandKit: { ...brandKit, logo: await sampleLogo() },
      copy,
      layout: 'minimal-card',
      placements: ['300x250'],
      format: 'webp',
    });
    const [withoutLogo] = await renderCreatives({
      brandKit,
      copy,
      layout: 'minimal-card',
      placements: ['300x250'],
      format: 'webp',
    });
    expect(withLogo!.bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(withLogo!.bytes.subarray(8, 12).toString('latin1')).toBe('WEBP');
    expect(withLogo!.contentType).toBe('image/webp');
    const meta = await sharp(withLogo!.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 300, 250]);
    expect(withLogo!.checksum).not.toBe(withoutLogo!.checksum);
  });

  it('refuses copy with the brand kit’s banned words, whatever their case and accents, naming them', async () => {
    const attempt = renderCreatives({
      brandKit,
      copy: { ...copy, subline: 'Results GUARANTÉED, completely risk-free!' },
    });
    await expect(attempt).rejects.toThrow(CreativeRenderError);
    await expect(attempt).rejects.toMatchObject({ code: 'banned_words', words: ['guaranteed', 'risk free'] });
  });

  it('refuses an SVG logo and bytes that are no image, with unsupported_image', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expect(
      renderCreatives({ brandKit: { ...brandKit, logo: svg }, copy, placements: ['320x50'] }),
    ).rejects.toMatchObject({
      code: 'unsupported_image',
      message: expect.stringContaining('SVG'),
    });
    await expect(
      renderCreatives({
        brandKit,
        copy: { ...copy, productImage: Buffer.from('not an image') },
        placements: ['320x50'],
      }),
    ).rejects.toMatchObject({
      code: 'unsupported_image',
    });
  });

  it('refuses input that is not a render request with invalid_request', async () => {
    const bad = {
      brandKit: { ...brandKit, colors: { ...brandKit.colors, primary: 'blue' }, font: 'comic-sans' },
      copy,
      placements: ['468x60'],
    };
    const error = await renderCreatives(bad as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_request' });
    for (const path of ['brandKit.colors.primary', 'brandKit.font', 'placements[0]'])
      expect((error as Error).message).toContain(path);
  });

  it('reports progress per placement and stops when cancelled', async () => {
    const progress: number[] = [];
    await renderCreatives(
      { brandKit, copy, placements: ['320x50', '728x90'] },
      { onProgress: (done) => progress.push(done) },
    );
    expect(progress).toEqual([1, 2]);

    const controller = new AbortController();
    const attempt = renderCreatives(
      { brandKit, copy, placements: ['320x50', '728x90'] },
      { signal: controller.signal, onProgress: () => controller.abort() },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'cancelled' });
  });
});
