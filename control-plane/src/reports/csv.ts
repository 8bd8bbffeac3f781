/**
 * One CSV field (RFC 4180). Text that a spreadsheet would run as a formula (= + - @ tab CR at the
 * start) is prefixed with ', since subs and other fields come from affiliates' traffic.
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}
