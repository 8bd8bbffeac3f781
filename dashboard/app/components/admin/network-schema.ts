import { parseIpRange } from '@tas/shared/ip-match';
import { currencySchema, exchangeRateTextSchema } from '@tas/shared/money';
import { z } from 'zod';

/** One entry a line: blank lines and surrounding spaces do not count. */
export function linesOf(text: string | undefined): string[] {
  return (text ?? '')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

const MAX_SHOWN = 5;

/** The lines of `lines` that `valid` refuses, said per line ("Line 3: …"), a few at most. */
function lineIssues(lines: string[], valid: (line: string) => string | null): string[] {
  const issues: string[] = [];
  let bad = 0;
  lines.forEach((line, index) => {
    const problem = valid(line);
    if (!problem) return;
    bad++;
    if (issues.length < MAX_SHOWN) issues.push(`Line ${index + 1}: “${line.slice(0, 60)}” ${problem}`);
  });
  if (bad > MAX_SHOWN) issues.push(`…and ${bad - MAX_SHOWN} more lines.`);
  return issues;
}

// Lines are read from the text and checked with the API's own rules (shared/ip-match, money),
// so a mistake shows beside its field, line by line, before anything is sent.
const ipLines = z
  .string()
  .max(4_000_000)
  .optional()
  .transform(linesOf)
  .superRefine((lines, ctx) => {
    if (lines.length > 50_000) ctx.addIssue({ code: 'custom', message: 'At most 50,000 entries.' });
    for (const message of lineIssues(lines, (line) =>
      line.length <= 64 && parseIpRange(line) ? null : 'is not an IPv4/IPv6 address or CIDR range.',
    ))
      ctx.addIssue({ code: 'custom', message });
  });

const userAgentLines = z
  .string()
  .max(2_000_000)
  .optional()
  .transform(linesOf)
  .superRefine((lines, ctx) => {
    if (lines.length > 5000) ctx.addIssue({ code: 'custom', message: 'At most 5,000 entries.' });
    for (const message of lineIssues(lines, (line) =>
      line.length < 3
        ? 'is shorter than 3 characters.'
        : line.length > 256
          ? 'is longer than 256 characters.'
          : null,
    ))
      ctx.addIssue({ code: 'custom', message });
  });

// Friendly messages first; the pipe into the API's own schema keeps the rule exactly the API's.
const currency = z
  .string({ error: 'Enter a currency code' })
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{3}$/, 'A 3-letter ISO code, e.g. EUR')
  .pipe(currencySchema);

const rate = z
  .string({ error: 'Enter the rate' })
  .trim()
  .regex(/^\d{1,9}(\.\d{1,12})?$/, 'A decimal like 1.0842 (up to 12 decimals)')
  .refine((text) => /[1-9]/.test(text), 'Must be greater than 0')
  .pipe(exchangeRateTextSchema);

export const exchangeRateRowSchema = z
  .object({
    from: currency,
    to: currency,
    rate,
  })
  .refine((row) => row.from !== row.to, { message: 'From and to must differ', path: ['to'] });

export const networkSettingsSchema = z.object({
  privacy: z
    .object({
      ipMode: z.enum(['full', 'truncated', 'hashed']).default('full'),
      userAgentMode: z.enum(['full', 'parsed']).default('full'),
      // Checkboxes: posted as 'on' when checked, absent when not.
      consentRequired: z.boolean().default(false),
      forwardEuVisitors: z.boolean().default(false),
    })
    .default({ ipMode: 'full', userAgentMode: 'full', consentRequired: false, forwardEuVisitors: false }),
  blockedIps: ipLines,
  blockedUserAgents: userAgentLines,
  exchangeRates: z
    .array(exchangeRateRowSchema)
    .max(1000, 'At most 1,000 rates.')
    .optional()
    .transform((rows) => rows ?? [])
    .superRefine((rows, ctx) => {
      const seen = new Set<string>();
      for (const row of rows) {
        const pair = `${row.from} → ${row.to}`;
        if (seen.has(pair))
          ctx.addIssue({ code: 'custom', message: `${pair} is there twice: one rate a pair.` });
        seen.add(pair);
      }
    }),
});

export type NetworkSettingsInput = z.output<typeof networkSettingsSchema>;
