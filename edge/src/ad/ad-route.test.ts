import type { CreativeAtEdge } from '@tas/shared/offer-config';
import { describe, expect, it } from 'vitest';
import { click, type ErrorBody, offerConfig, publishOfferAndAffiliate } from '../../test/fixtures.ts';
import { AD_STYLE, AD_STYLE_HASH } from './ad-document.ts';
import { pickCreative } from './pick-creative.ts';

const creative = (overrides: Partial<CreativeAtEdge> & { id: number }): CreativeAtEdge => ({
  name: `Creative ${overrides.id}`,
  type: 'image',
  size: '300x250',
  url: `https://cdn.test/${overrides.id}.png`,
  weight: 1,
  ...overrides,
});

type Element = { tag: string; attributes: Record<string, string> };

/** The elements of an ad document as a browser's parser sees them (workerd's HTMLRewriter). */
async function elementsOf(response: Response): Promise<Element[]> {
  const found: Element[] = [];
  await new HTMLRewriter()
    .on('*', {
      element(e) {
        found.push({ tag: e.tagName, attributes: Object.fromEntries([...e.attributes]) });
      },
    })
    .transform(response)
    .text();
  return found;
}

/** Attribute values as the browser reads them (the rewriter gives them as written). */
const decoded = (value: string | undefined) =>
  value
    ?.replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

describe('GET /ad/{offer}', () => {
  it('answers a small document: the creative inside the tracked link, with strict headers', async () => {
    await publishOfferAndAffiliate(
      offerConfig({ id: 40, creatives: [creative({ id: 101, name: 'Autumn sale' })] }),
    );
    const response = await click('/ad/40?aff_id=7&size=300x250&sub1=blog&aff_sub2=top&source_id=s1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(
      `default-src 'none'; img-src https://cdn.test; style-src '${AD_STYLE_HASH}'; base-uri 'none'; form-action 'none'`,
    );
    const elements = await elementsOf(response);
    const link = elements.find((e) => e.tag === 'a');
    const href = new URL(decoded(link?.attributes.href) ?? '');
    expect(href.origin + href.pathname).toBe('https://edge.test/c/40');
    expect(Object.fromEntries(href.searchParams)).toEqual({
      aff_id: '7',
      creative_id: '101',
      sub1: 'blog',
      sub2: 'top',
      source_id: 's1',
    });
    expect(link?.attributes.target).toBe('_top');
    expect(elements.find((e) => e.tag === 'img')?.attributes).toEqual({
      src: 'https://cdn.test/101.png',
      width: '300',
      height: '250',
      alt: 'Autumn sale',
    });
    expect(elements.some((e) => e.tag === 'script')).toBe(false);
  });

  it('declares the hash of the one style it carries', async () => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(AD_STYLE));
    expect(`sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}`).toBe(AD_STYLE_HASH);
  });

  it('picks the creatives of the size asked by weight (400 views through the route, 1:3)', async () => {
    await publishOfferAndAffiliate(
      offerConfig({
        id: 41,
        creatives: [
          creative({ id: 201, weight: 2500 }),
          creative({ id: 202, weight: 7500 }),
          creative({ id: 203, size: '728x90', weight: 10_000 }),
        ],
      }),
    );
    const seen = new Map<string, number>();
    for (let batch = 0; batch < 20; batch++) {
      const pages = await Promise.all(
        Array.from({ length: 20 }, () => click('/ad/41?aff_id=7&size=300x250').then((r) => r.text())),
      );
      for (const html of pages) {
        const id = /creative_id=(\d+)/.exec(html)?.[1] ?? 'none';
        seen.set(id, (seen.get(id) ?? 0) + 1);
      }
    }
    // 300 expected; the bounds are 3.7 standard deviations either side. Never the 728x90.
    expect(seen.get('202')).toBeGreaterThan(268);
    expect(seen.get('202')).toBeLessThan(332);
    expect((seen.get('201') ?? 0) + (seen.get('202') ?? 0)).toBe(400);
  }, 60_000);

  it('picks by weight over many draws (100,000, weights 1:2:7)', () => {
    const offer = offerConfig({
      creatives: [
        creative({ id: 211, weight: 100 }),
        creative({ id: 212, weight: 200 }),
        creative({ id: 213, weight: 700 }),
      ],
    });
    const counts = new Map<number, number>();
    const now = new Date();
    for (let i = 0; i < 100_000; i++) {
      const id = pickCreative(offer, '300x250', now)?.id ?? 0;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    // Standard deviations are at most 145 draws: the bounds are about 4 of them.
    expect(Math.abs((counts.get(211) ?? 0) - 10_000)).toBeLessThan(600);
    expect(Math.abs((counts.get(212) ?? 0) - 20_000)).toBeLessThan(600);
    expect(Math.abs((counts.get(213) ?? 0) - 70_000)).toBeLessThan(600);
  });

  it('never shows a creative whose campaign is not serving', () => {
    const offer = offerConfig({
      creatives: [creative({ id: 301, weight: 10_000 }), creative({ id: 302, weight: 1 })],
      campaigns: [
        {
          id: 9,
          creativeIds: [301],
          startDate: null,
          endDate: null,
          stopped: 'budget_spent',
          dailyBudgetSpentOn: null,
        },
        {
          id: 10,
          creativeIds: [302],
          startDate: null,
          endDate: null,
          stopped: null,
          dailyBudgetSpentOn: null,
        },
      ],
    });
    const now = new Date('2026-11-20T12:00:00Z');
    for (const random of [0, 0.5, 0.999]) expect(pickCreative(offer, '300x250', now, random)?.id).toBe(302);
    const ended = offerConfig({
      creatives: [creative({ id: 303 })],
      campaigns: [
        {
          id: 11,
          creativeIds: [303],
          startDate: null,
          endDate: '2026-11-19',
          stopped: null,
          dailyBudgetSpentOn: null,
        },
      ],
    });
    expect(pickCreative(ended, '300x250', now)).toBeNull();
  });

  it('escapes a hostile creative URL and name: no element, attribute or script gets in', async () => {
    const url = `https://cdn.test/a.png?x="><script>alert(1)</script>&y='onerror='alert(2)`;
    const name = `"><script>alert(3)</script><img src=x onerror=alert(4)>`;
    await publishOfferAndAffiliate(offerConfig({ id: 42, creatives: [creative({ id: 401, url, name })] }));
    const response = await click(
      `/ad/42?aff_id=7&size=300x250&sub1=${encodeURIComponent('"><script>x</script>')}`,
    );
    expect(response.status).toBe(200);
    const html = await response.clone().text();
    expect(html).not.toContain('<script');
    const elements = await elementsOf(response);
    expect(elements.map((e) => e.tag)).toEqual([
      'html',
      'head',
      'meta',
      'meta',
      'title',
      'style',
      'body',
      'a',
      'img',
    ]);
    const img = elements.find((e) => e.tag === 'img');
    expect(Object.keys(img?.attributes ?? {})).toEqual(['src', 'width', 'height', 'alt']);
    expect(decoded(img?.attributes.src)).toBe(url);
    expect(decoded(img?.attributes.alt)).toBe(name);
    const href = new URL(decoded(elements.find((e) => e.tag === 'a')?.attributes.href) ?? '');
    expect(href.searchParams.get('sub1')).toBe('"><script>x</script>');
  });

  it('shows a video creative as a muted, looping video from its own origin', async () => {
    await publishOfferAndAffiliate(
      offerConfig({
        id: 43,
        creatives: [creative({ id: 501, type: 'video', size: '1080x1080', url: 'https://video.test/v.mp4' })],
      }),
    );
    const response = await click('/ad/43?aff_id=7&size=1080x1080');
    expect(response.headers.get('content-security-policy')).toContain('media-src https://video.test;');
    const video = (await elementsOf(response)).find((e) => e.tag === 'video');
    expect(video?.attributes).toMatchObject({
      src: 'https://video.test/v.mp4',
      width: '1080',
      height: '1080',
    });
    expect(Object.keys(video?.attributes ?? {})).toEqual(
      expect.arrayContaining(['autoplay', 'muted', 'loop', 'playsinline']),
    );
  });

  it('answers a clear 404 for an unknown offer, affiliate or size, and 400 without aff_id or a size', async () => {
    await publishOfferAndAffiliate(offerConfig({ id: 44, creatives: [creative({ id: 601 })] }));
    // A configuration written before creatives existed: none to show.
    await publishOfferAndAffiliate(offerConfig({ id: 45 }));
    const cases: [string, number, string][] = [
      ['/ad/999?aff_id=7&size=300x250', 404, 'unknown_offer'],
      ['/ad/44?aff_id=999&size=300x250', 404, 'unknown_affiliate'],
      ['/ad/44?aff_id=7&size=728x90', 404, 'unknown_size'],
      ['/ad/45?aff_id=7&size=300x250', 404, 'unknown_size'],
      ['/ad/44?size=300x250', 400, 'invalid_parameter'],
      ['/ad/44?aff_id=7', 400, 'invalid_parameter'],
      ['/ad/44?aff_id=7&size=300x250x1', 400, 'invalid_parameter'],
      ['/ad/44?aff_id=7&size=0x0', 400, 'invalid_parameter'],
    ];
    for (const [path, status, code] of cases) {
      const response = await click(path);
      expect(response.status, path).toBe(status);
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code, path).toBe(code);
      expect(body.error.message, path).toMatch(/\w/);
    }
  });

  it('answers an affiliate not approved on a private offer, or a paused offer, as a click: the fallback', async () => {
    const creatives = [creative({ id: 701 })];
    await publishOfferAndAffiliate(
      offerConfig({ id: 46, visibility: 'private', approvedAffiliateIds: [99], creatives }),
    );
    await publishOfferAndAffiliate(offerConfig({ id: 47, status: 'paused', creatives }));
    await publishOfferAndAffiliate(
      offerConfig({ id: 48, visibility: 'private', approvedAffiliateIds: [7], creatives }),
    );
    for (const id of [46, 47]) {
      const response = await click(`/ad/${id}?aff_id=7&size=300x250`);
      expect(response.status, String(id)).toBe(302);
      expect(response.headers.get('location')).toBe('https://fallback.test/');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).not.toContain('cdn.test');
    }
    expect((await click('/ad/48?aff_id=7&size=300x250')).status).toBe(200);
  });
});
