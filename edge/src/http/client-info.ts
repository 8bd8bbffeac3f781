import { cleanText } from '@tas/shared/clean-text';

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
    ip: cleanText(request.headers.get('cf-connecting-ip'), 45),
    userAgent: cleanText(request.headers.get('user-agent'), 1024),
    country,
    referrer: cleanText(request.headers.get('referer'), 2048),
  };
}
