import { canonicalMacro, type MacroValues, substituteMacros } from '@tas/shared/macros';

export type PostbackTemplate = {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  parameters: Record<string, string>;
};

export type RenderedPostback = {
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body: string | null;
};

const MACRO = /\{([a-z0-9_]{1,32})\}/g;

/** Macros in a non-URL position (headers, form fields): raw values, encoded later by the form encoder. */
function substituteRaw(template: string, values: MacroValues): string {
  return template.replace(MACRO, (whole, name: string) => {
    const canonical = canonicalMacro(name);
    if (!canonical) return whole;
    const value = values[canonical];
    return value === undefined || value === null ? '' : String(value).replace(/[\r\n]/g, ' ');
  });
}

/** The request an affiliate's postback configuration makes for one conversion. */
export function renderPostback(template: PostbackTemplate, values: MacroValues): RenderedPostback {
  const headers = Object.fromEntries(
    Object.entries(template.headers).map(([k, v]) => [k, substituteRaw(v, values)]),
  );
  const url = substituteMacros(template.url, values);
  if (template.method === 'GET') return { url, method: 'GET', headers, body: null };
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(template.parameters)) form.set(key, substituteRaw(value, values));
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: form.toString(),
  };
}
