import { encodeMacroValue } from '@tas/shared/macros';

/** What an affiliate adds to an offer's tracking link (tracking contract, section 1). */
export type LinkParams = {
  sub1: string;
  sub2: string;
  sub3: string;
  sub4: string;
  sub5: string;
  source_id: string;
  creative_id: string;
  url: string;
};

export const LINK_PARAM_NAMES = [
  'sub1',
  'sub2',
  'sub3',
  'sub4',
  'sub5',
  'source_id',
  'creative_id',
  'url',
] as const satisfies readonly (keyof LinkParams)[];

export const EMPTY_LINK_PARAMS: LinkParams = {
  sub1: '',
  sub2: '',
  sub3: '',
  sub4: '',
  sub5: '',
  source_id: '',
  creative_id: '',
  url: '',
};

/** The edge keeps this much of a sub id or source id (longer values are cut there). */
export const SUB_MAX = 255;
/** The edge ignores a deep link longer than this. */
export const DEEP_LINK_MAX = 2048;

/**
 * The offer's tracking link with the filled parameters appended, each value percent-encoded
 * (everything but RFC 3986 unreserved characters, so `+`, `&`, `#` and spaces survive any
 * parser). Empty values are left out; the base's own parameters (aff_id) stay first.
 */
export function buildTrackingLink(base: string, params: Partial<LinkParams>): string {
  const hashAt = base.indexOf('#');
  const head = hashAt === -1 ? base : base.slice(0, hashAt);
  const pairs = LINK_PARAM_NAMES.flatMap((name) => {
    const value = params[name]?.trim() ?? '';
    return value === '' ? [] : [`${name}=${encodeMacroValue(value)}`];
  });
  if (pairs.length === 0) return head;
  const joiner = head.includes('?') ? (head.endsWith('?') || head.endsWith('&') ? '' : '&') : '?';
  return `${head}${joiner}${pairs.join('&')}`;
}

/**
 * Whether the edge would follow this deep link for the offer: http(s), no credentials, at most
 * 2048 characters, and a host on the offer's list (`*.example.com` covers its subdomains). The
 * same rule as the edge's (edge/src/click/deep-link.ts), so a refused link is refused here first
 * instead of silently sending visitors to the offer's default page.
 */
export function checkDeepLink(candidate: string, hosts: readonly string[]): string | null {
  const value = candidate.trim();
  if (value === '') return null;
  if (value.length > DEEP_LINK_MAX) return `A deep link has at most ${DEEP_LINK_MAX} characters.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full address, starting with https://';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Only http and https addresses work.';
  if (url.username || url.password) return 'A deep link cannot carry a user name or password.';
  const host = url.hostname.toLowerCase();
  const allowed = hosts.some((pattern) =>
    pattern.startsWith('*.') ? host.endsWith(pattern.slice(1)) : host === pattern,
  );
  return allowed ? null : `${host} is not among the hosts this offer allows.`;
}

/** Why a value would not reach the edge whole, or null. */
export function checkSub(value: string): string | null {
  return value.length > SUB_MAX ? `At most ${SUB_MAX} characters (the rest would be cut).` : null;
}

/** The most rows one bulk export makes. */
export const BULK_MAX_ROWS = 10_000;

const COLUMN_ALIASES: Record<string, keyof LinkParams> = {
  sub1: 'sub1',
  aff_sub: 'sub1',
  sub2: 'sub2',
  aff_sub2: 'sub2',
  sub3: 'sub3',
  aff_sub3: 'sub3',
  sub4: 'sub4',
  aff_sub4: 'sub4',
  sub5: 'sub5',
  aff_sub5: 'sub5',
  source_id: 'source_id',
  creative_id: 'creative_id',
  url: 'url',
  deep_link: 'url',
};
const POSITIONAL: (keyof LinkParams)[] = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5'];

/** Splits CSV text into rows of fields (RFC 4180: quoted fields may hold commas, quotes, line breaks). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += char;
    } else if (char === '"' && field === '') quoted = true;
    else if (char === ',' || char === '\t') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export type BulkRow = { line: number; params: Partial<LinkParams> };

/**
 * Reads pasted bulk input: one sub1 a line, or CSV. A first row naming columns (sub1..sub5,
 * aff_sub.., source_id, creative_id, url) maps them by name; otherwise the columns are sub1..sub5
 * in order. Blank lines are skipped.
 */
export function parseBulkInput(text: string): BulkRow[] {
  const rows = parseCsv(text);
  const first = rows[0]?.map((cell) => cell.trim().toLowerCase()) ?? [];
  const named = first.some((cell) => cell in COLUMN_ALIASES);
  const columns = named
    ? first.map((cell) => COLUMN_ALIASES[cell] ?? null)
    : POSITIONAL.map((name) => name as keyof LinkParams | null);
  const out: BulkRow[] = [];
  rows.forEach((cells, index) => {
    if (named && index === 0) return;
    if (cells.every((cell) => cell.trim() === '')) return;
    const params: Partial<LinkParams> = {};
    cells.forEach((cell, column) => {
      const name = columns[column];
      if (name) params[name] = cell.trim();
    });
    out.push({ line: index + 1, params });
  });
  return out;
}

// A spreadsheet would run a cell starting with these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows as CSV text (CRLF line ends, quoted where needed, formula-like cells defused). */
export function toCsv(header: string[], rows: string[][]): string {
  return `${[header, ...rows].map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export type BulkResult = { csv: string; count: number; errors: string[] };

/**
 * One link per pasted row, each row's values over the builder's own (a row's sub1 replaces the
 * form's sub1; what the row leaves out comes from the form). Rows whose deep link the offer
 * refuses are reported, not exported.
 */
export function bulkLinks(
  base: string,
  defaults: LinkParams,
  rows: BulkRow[],
  deepLinkHosts: readonly string[] | null,
): BulkResult {
  const errors: string[] = [];
  const used = new Set<keyof LinkParams>();
  const merged: LinkParams[] = [];
  for (const row of rows.slice(0, BULK_MAX_ROWS)) {
    const params = { ...defaults };
    for (const name of LINK_PARAM_NAMES) {
      const value = row.params[name];
      if (value !== undefined && value !== '') params[name] = value;
    }
    if (params.url !== '') {
      const problem = deepLinkHosts
        ? checkDeepLink(params.url, deepLinkHosts)
        : 'This offer takes no deep links.';
      if (problem) {
        errors.push(`Line ${row.line}: ${problem}`);
        continue;
      }
    }
    for (const name of LINK_PARAM_NAMES) if (params[name] !== '') used.add(name);
    merged.push(params);
  }
  if (rows.length > BULK_MAX_ROWS) errors.push(`Only the first ${BULK_MAX_ROWS} rows were used.`);
  const columns = LINK_PARAM_NAMES.filter((name) => used.has(name));
  const csv = toCsv(
    [...columns, 'tracking_link'],
    merged.map((params) => [...columns.map((name) => params[name]), buildTrackingLink(base, params)]),
  );
  return { csv, count: merged.length, errors };
}
