function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
}

/** The affiliate's tracking link of a creative, as the dashboard's link builder makes it. */
export function creativeTrackingLink(
  edgeUrl: string,
  offerId: number,
  affiliateId: number,
  creativeId: number,
) {
  return `${edgeUrl.replace(/\/+$/, '')}/c/${offerId}?aff_id=${affiliateId}&creative_id=${creativeId}`;
}

/**
 * The HTML an affiliate pastes: the creative inside its tracking link. Every value is escaped
 * (names are the advertiser's free text; URLs carry `&`).
 */
export function embedSnippet(s: {
  link: string;
  src: string;
  width: number | null;
  height: number | null;
  alt: string;
  kind: 'image' | 'video';
}): string {
  const size = s.width && s.height ? ` width="${s.width}" height="${s.height}"` : '';
  const media =
    s.kind === 'video'
      ? `<video src="${escapeHtml(s.src)}"${size} autoplay muted loop playsinline></video>`
      : `<img src="${escapeHtml(s.src)}"${size} alt="${escapeHtml(s.alt)}">`;
  return `<a href="${escapeHtml(s.link)}" target="_blank" rel="sponsored noopener">${media}</a>`;
}
