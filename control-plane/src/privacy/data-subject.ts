import { createHash } from 'node:crypto';
import { googleEmail, normaliseEmail } from '@tas/shared/customer-data';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';

/**
 * Whom a data subject request is about: a visitor known by the email the advertiser sent with a
 * sale (TAS holds only its hashes), a click id, an order id (txid) or an ip address; an email is
 * also a TAS user's login.
 */
export const dataSubjectSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('email'), value: z.string().trim().max(320).pipe(z.email()) }),
    z.object({ type: z.literal('click_id'), value: z.string().min(8).max(200) }),
    z.object({ type: z.literal('txid'), value: z.string().min(1).max(200) }),
    z.object({ type: z.literal('ip'), value: z.union([z.ipv4(), z.ipv6()]) }),
  ])
  .describe('The subject: email, click_id, txid or ip, and its value')
  .meta({ id: 'DataSubject' });
export type DataSubject = z.infer<typeof dataSubjectSchema>;

/** What the request log keeps instead of the subject (an erasure must not leave it behind). */
export function subjectDigest(subject: DataSubject): string {
  const value = subject.type === 'email' ? subject.value.trim().toLowerCase() : subject.value;
  return createHash('sha256').update(`${subject.type}:${value}`).digest('hex');
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The conditions that find the subject's clicks and conversions (aliases `c` and `v`). A
 * conversion of a matched click is the subject's too, and so is the click of a matched conversion:
 * the statements add those through the click ids.
 */
export function subjectConditions(subject: DataSubject): { clicks: SQL; conversions: SQL } {
  switch (subject.type) {
    case 'click_id':
      return { clicks: sql`c.id = ${subject.value}`, conversions: sql`v.click_id = ${subject.value}` };
    case 'txid':
      return { clicks: sql`false`, conversions: sql`v.txid = ${subject.value}` };
    case 'ip':
      return { clicks: sql`c.ip = ${subject.value}`, conversions: sql`v.ip = ${subject.value}` };
    case 'email': {
      // The edge hashes what the advertiser sends (shared/customer-data.ts): both variants.
      const normal = normaliseEmail(subject.value);
      if (!normal) return { clicks: sql`false`, conversions: sql`false` };
      return {
        clicks: sql`false`,
        conversions: sql`(v.customer_hashes->>'email' = ${sha256(normal)}
                          OR v.customer_hashes->>'emailGoogle' = ${sha256(googleEmail(normal))})`,
      };
    }
  }
}

/** Text a quarantined event's body contains when it is about the subject (none for an email: bodies hold hashes). */
export function quarantineNeedles(subject: DataSubject): string[] {
  if (subject.type !== 'email') return [subject.value];
  const normal = normaliseEmail(subject.value);
  return normal ? [sha256(normal), sha256(googleEmail(normal))] : [];
}
