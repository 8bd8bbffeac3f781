/**
 * First-party cookie that carries the click id to later pixels of the same offer (tracking
 * contract, section 4). One cookie per offer, so clicks on two offers do not overwrite each other.
 */
export function clickCookieName(offerId: number): string {
  return `tas_c${offerId}`;
}

export function clickCookie(
  offerId: number,
  clickId: string,
  maxAgeSeconds: number,
  secure: boolean,
): string {
  // Pixels are third-party requests from the advertiser's page: browsers only send the cookie
  // there with SameSite=None, which in turn requires Secure (so plain-http local dev uses Lax).
  const sameSite = secure ? 'SameSite=None; Secure' : 'SameSite=Lax';
  return `${clickCookieName(offerId)}=${clickId}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; ${sameSite}`;
}
