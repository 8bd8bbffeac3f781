import { describe, expect, it } from 'vitest';
import { type Creative, creativeSnippet, creativeTrackingLink } from './creative-snippet';

const creative = (overrides: Partial<Creative>): Creative => ({
  id: 12,
  campaignId: 3,
  name: 'Winter "50%" banner',
  type: 'image',
  url: 'https://cdn.example.com/w.png?v=2&x=1',
  size: '300x250',
  createdAt: '2026-11-01T00:00:00.000Z',
  updatedAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
});

describe('creative snippets', () => {
  const link = creativeTrackingLink('https://t.example', 7, 12);

  it('links through the offer with the creative id and the affiliate macro', () => {
    expect(link).toBe('https://t.example/c/7?aff_id={aff_id}&creative_id=12');
  });

  it('wraps an image in the link, attributes escaped and sized', () => {
    expect(creativeSnippet(creative({}), link)).toBe(
      '<a href="https://t.example/c/7?aff_id={aff_id}&amp;creative_id=12" target="_blank" rel="sponsored noopener">\n' +
        '  <img src="https://cdn.example.com/w.png?v=2&amp;x=1" width="300" height="250" alt="Winter &quot;50%&quot; banner">\n' +
        '</a>',
    );
  });

  it('gives an HTML5 creative the link as its clickTag, the macro left readable', () => {
    const html = creativeSnippet(
      creative({ type: 'html', url: 'https://cdn.example.com/u.html', size: null }),
      link,
    );
    expect(html).toBe(
      '<iframe src="https://cdn.example.com/u.html?clickTag=https%3A%2F%2Ft.example%2Fc%2F7%3Faff_id%3D{aff_id}%26creative_id%3D12" title="Winter &quot;50%&quot; banner" frameborder="0" scrolling="no"></iframe>',
    );
  });
});
