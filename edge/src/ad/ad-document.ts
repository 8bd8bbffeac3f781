import type { CreativeAtEdge } from '@tas/shared/offer-config';

/** The ad's only style: no margins, so the creative fills the publisher's iframe exactly. */
export const AD_STYLE =
  'html,body{margin:0;padding:0;overflow:hidden;background:transparent}a,img,video{display:block;border:0}';
/** SHA-256 of AD_STYLE (base64), for the CSP: no other style may apply (ad-route.test.ts checks it). */
export const AD_STYLE_HASH = 'sha256-3v34BGJYMKTT1fKxvvmOlTKMN9pjcCBj+NPhJzK2WfM=';

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text safe inside an HTML element or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/**
 * The HTML document an ad tag answers, for the publisher's iframe: the creative inside the
 * tracked link. `target="_top"` so the visitor leaves the publisher's page for the offer, not the
 * frame. Every value from configuration is escaped: a creative's URL and name are the
 * advertiser's text, and ad tags run on pages of other people.
 */
export function adDocument(creative: CreativeAtEdge, clickUrl: string): string {
  const [width, height] = creative.size.split('x');
  const src = escapeHtml(creative.url);
  const name = escapeHtml(creative.name);
  const dimensions = `width="${width}" height="${height}"`;
  const media =
    creative.type === 'video'
      ? `<video src="${src}" ${dimensions} autoplay muted loop playsinline aria-label="${name}"></video>`
      : `<img src="${src}" ${dimensions} alt="${name}">`;
  return (
    '<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex">' +
    `<title>${name}</title><style>${AD_STYLE}</style></head>` +
    `<body><a href="${escapeHtml(clickUrl)}" target="_top">${media}</a></body></html>`
  );
}

/**
 * What the document may load: the creative from its own origin and the one style above; no
 * script, no form, no base, no plugin. Clicks go through the link (navigation is not fetched).
 */
export function adContentSecurityPolicy(creative: CreativeAtEdge): string {
  const origin = new URL(creative.url).origin;
  const source = creative.type === 'video' ? `media-src ${origin}` : `img-src ${origin}`;
  return `default-src 'none'; ${source}; style-src '${AD_STYLE_HASH}'; base-uri 'none'; form-action 'none'`;
}
