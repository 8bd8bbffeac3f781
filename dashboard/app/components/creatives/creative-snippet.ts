import type { components } from '~/api/schema';

export type Creative = components['schemas']['Creative'];
export type CreativeType = Creative['type'];

export const CREATIVE_TYPES: readonly CreativeType[] = ['image', 'video', 'html'];
export const CREATIVE_TYPE_LABEL: Record<CreativeType, string> = {
  image: 'Image',
  video: 'Video',
  html: 'HTML5',
};

/** The macro an affiliate's own id replaces in a link (the link builder fills it in for them). */
export const AFF_ID_MACRO = '{aff_id}';

/**
 * The tracking link of a creative: the offer's click URL with `creative_id`, which is how the
 * edge knows the campaign of a click (its budget and dates) and how reports split by creative.
 */
export function creativeTrackingLink(edgeUrl: string, offerId: number, creativeId: number): string {
  return `${edgeUrl}/c/${offerId}?aff_id=${AFF_ID_MACRO}&creative_id=${creativeId}`;
}

function escapeAttribute(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

function dimensions(size: string | null): string {
  const match = size ? /^(\d{1,5})x(\d{1,5})$/.exec(size) : null;
  return match ? ` width="${match[1]}" height="${match[2]}"` : '';
}

/**
 * The HTML an affiliate pastes to show the creative: an image or a video inside the tracking
 * link, or an HTML5 creative in an iframe given the link as its `clickTag` (the IAB convention).
 */
export function creativeSnippet(creative: Creative, link: string): string {
  const href = escapeAttribute(link);
  const src = escapeAttribute(creative.url);
  const size = dimensions(creative.size);
  const alt = escapeAttribute(creative.name);
  switch (creative.type) {
    case 'image':
      return `<a href="${href}" target="_blank" rel="sponsored noopener">\n  <img src="${src}"${size} alt="${alt}">\n</a>`;
    case 'video':
      return `<a href="${href}" target="_blank" rel="sponsored noopener">\n  <video src="${src}"${size} autoplay muted loop playsinline></video>\n</a>`;
    case 'html': {
      const separator = creative.url.includes('?') ? '&' : '?';
      // The macro stays readable, so an affiliate sees where its id goes.
      const encoded = encodeURIComponent(link).replace('%7Baff_id%7D', AFF_ID_MACRO);
      const clickTag = escapeAttribute(`${creative.url}${separator}clickTag=${encoded}`);
      return `<iframe src="${clickTag}"${size} title="${alt}" frameborder="0" scrolling="no"></iframe>`;
    }
  }
}
