/** What we know of the visitor, from Cloudflare's headers and `request.cf`. */
export type ClientInfo = {
  ip: string | null;
  userAgent: string | null;
  country: string | null;
  referrer: string | null;
};

export function clientInfo(request: Request): ClientInfo {
  const cf = (request as Request & { cf?: { country?: unknown } }).cf;
  const country = typeof cf?.country === 'string' && /^[A-Z]{2}$/.test(cf.country) ? cf.country : null;
  return {
    ip: clip(request.headers.get('cf-connecting-ip'), 45),
    userAgent: clip(request.headers.get('user-agent'), 1024),
    country,
    referrer: clip(request.headers.get('referer'), 2048),
  };
}

/** Long values are cut rather than refused: a click is never lost for an overlong header. */
export function clip(value: string | null, max: number): string | null {
  if (value === null || value === '') return null;
  return value.length > max ? value.slice(0, max) : value;
}
