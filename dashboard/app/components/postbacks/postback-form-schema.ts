import { z } from 'zod';

// Headers the HTTP client sets itself (the control plane refuses them too).
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'x-tas-delivery-id',
]);
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$/;

type Parsed = { ok: true; value: Record<string, string> } | { ok: false; error: string };

function lines(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/** POST form fields, one `name=value` a line. */
export function parseParameters(text: string | undefined): Parsed {
  const value: Record<string, string> = {};
  for (const line of lines(text)) {
    const at = line.indexOf('=');
    const name = at === -1 ? '' : line.slice(0, at).trim();
    if (!name || name.length > 64) return { ok: false, error: `Write "${line.slice(0, 40)}" as name=value` };
    const field = line.slice(at + 1).trim();
    if (field.length > 1024)
      return { ok: false, error: `The value of ${name} is longer than 1024 characters` };
    value[name] = field;
  }
  if (Object.keys(value).length > 50) return { ok: false, error: 'At most 50 fields' };
  return { ok: true, value };
}

/** Extra request headers, one `Name: value` a line. */
export function parseHeaders(text: string | undefined): Parsed {
  const value: Record<string, string> = {};
  for (const line of lines(text)) {
    const at = line.indexOf(':');
    const name = at === -1 ? '' : line.slice(0, at).trim();
    if (!HEADER_NAME.test(name)) return { ok: false, error: `Write "${line.slice(0, 40)}" as Name: value` };
    if (RESERVED_HEADERS.has(name.toLowerCase()))
      return { ok: false, error: `${name} is set by us, not by you` };
    const header = line.slice(at + 1).trim();
    if (header.length > 1024)
      return { ok: false, error: `The value of ${name} is longer than 1024 characters` };
    value[name] = header;
  }
  if (Object.keys(value).length > 20) return { ok: false, error: 'At most 20 headers' };
  return { ok: true, value };
}

export function formatParameters(parameters: Record<string, string>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `${name}=${value}`)
    .join('\n');
}

export function formatHeaders(headers: Record<string, string>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

const ID = /^[1-9]\d{0,9}$/;

/**
 * A postback configuration as the form sends it, with the API's rules (postback-config-service
 * of the control plane): an http(s) URL of at most 2048 characters, GET or POST, fired on approved
 * or already on pending; admins say whose it is.
 */
export function postbackFormSchema({ needsAffiliate }: { needsAffiliate: boolean }) {
  return z
    .object({
      affiliateId: z.string().regex(ID, 'Pick the affiliate').optional(),
      offerId: z.string().regex(ID).optional(),
      url: z
        .url({ protocol: /^https?$/, error: 'Enter your endpoint, starting with https://' })
        .max(2048, 'At most 2048 characters'),
      method: z.enum(['GET', 'POST']),
      fireOn: z.enum(['approved', 'pending']),
      isActive: z.boolean().default(false),
      parameters: z.string().max(60_000).optional(),
      headers: z.string().max(30_000).optional(),
    })
    .superRefine((value, ctx) => {
      if (needsAffiliate && !value.affiliateId) {
        ctx.addIssue({ code: 'custom', path: ['affiliateId'], message: 'Pick the affiliate' });
      }
      const parameters = parseParameters(value.parameters);
      if (!parameters.ok) ctx.addIssue({ code: 'custom', path: ['parameters'], message: parameters.error });
      const headers = parseHeaders(value.headers);
      if (!headers.ok) ctx.addIssue({ code: 'custom', path: ['headers'], message: headers.error });
    });
}

export type PostbackForm = z.output<ReturnType<typeof postbackFormSchema>>;

/** The API body for a parsed form (checked already, so the parses succeed). */
export function postbackBody(form: PostbackForm) {
  const parameters = parseParameters(form.parameters);
  const headers = parseHeaders(form.headers);
  return {
    offerId: form.offerId ? Number(form.offerId) : null,
    url: form.url,
    method: form.method,
    fireOn: form.fireOn,
    isActive: form.isActive,
    parameters: form.method === 'POST' && parameters.ok ? parameters.value : {},
    headers: headers.ok ? headers.value : {},
  };
}
