import { describe, expect, it } from 'vitest';
import { assetUrlSchema, creativeAtEdgeSchema, httpUrlSchema } from './offer-config.ts';

describe('URLs in an offer configuration', () => {
  it("takes TAS's own asset URLs on a local stack for creatives, but not as redirect targets", () => {
    const local = 'http://127.0.0.1:8788/api/v1/creative-assets/7/public?sig=abc';
    expect(assetUrlSchema.safeParse(local).success).toBe(true);
    expect(assetUrlSchema.safeParse('http://localhost:8788/a.png').success).toBe(true);
    expect(httpUrlSchema.safeParse(local).success).toBe(false);
    expect(
      creativeAtEdgeSchema.safeParse({
        id: 7,
        name: 'Banner',
        type: 'image',
        size: '300x250',
        url: local,
        weight: 1,
      }).success,
    ).toBe(true);
  });

  it('refuses script and data URLs for creatives too', () => {
    for (const url of ['javascript:alert(1)', 'data:image/png;base64,AAAA', 'ftp://cdn.example.com/a.png'])
      expect(assetUrlSchema.safeParse(url).success, url).toBe(false);
  });
});
