import { z } from 'zod';
import { ipRangeTextSchema } from './ip-match.ts';

/** Per-offer fraud rules applied at click and conversion time (tracking contract, section 1). */
export const fraudRulesSchema = z
  .object({
    duplicateClickWindowSeconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 86400)
      .default(0)
      .describe('Same ip + offer + affiliate within this window is a duplicate click; 0 turns it off'),
    maxClicksPerIpPerMinute: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .nullable()
      .default(null)
      .describe('Per-ip click velocity limit across all offers of the network; null turns it off'),
    action: z
      .enum(['flag', 'fallback'])
      .default('flag')
      .describe('flag: record and redirect normally; fallback: record and send to the fallback'),
    minSecondsToConvert: z
      .number()
      .int()
      .min(0)
      .nullable()
      .default(null)
      .describe('Faster conversions are flagged'),
    maxSecondsToConvert: z
      .number()
      .int()
      .min(0)
      .nullable()
      .default(null)
      .describe('Slower conversions are flagged'),
    blockedIps: z.array(ipRangeTextSchema).max(10_000).default([]),
    blockedUserAgents: z
      .array(z.string().min(3).max(256))
      .max(1000)
      .default([])
      .describe('Case-insensitive substrings of user agents to block'),
  })
  .describe('Fraud rules');
export type FraudRules = z.infer<typeof fraudRulesSchema>;

export const FRAUD_FLAGS = [
  'duplicate_click',
  'ip_velocity',
  'blocked_ip',
  'blocked_user_agent',
  /** A click whose user agent is a bot's (isbot): recorded, never billable. */
  'bot',
  'conversion_too_fast',
  'conversion_too_slow',
  /** A conversion on a click the edge flagged as a bot: held for review (pending). */
  'bot_click',
  /** A conversion whose txid another click of the offer already claimed: held for review (pending). */
  'txid_conflict',
  /**
   * A sale amount in another currency than its offer's that reached the control plane unconverted
   * (sent by an edge older than currency conversion): kept as sent, not priced, held for review.
   */
  'currency_unconverted',
] as const;
export type FraudFlag = (typeof FRAUD_FLAGS)[number];
export const fraudFlagSchema = z.enum(FRAUD_FLAGS);

/** Click flags that make a click invalid: counted in gross clicks, left out of clean ones. */
export const INVALID_CLICK_FLAGS = [
  'bot',
  'duplicate_click',
  'blocked_ip',
  'blocked_user_agent',
  'ip_velocity',
] as const satisfies readonly FraudFlag[];

/** Conversion flags that hold a conversion for review: it is stored pending, never auto-approved. */
export const REVIEW_CONVERSION_FLAGS = [
  'bot_click',
  'txid_conflict',
  'currency_unconverted',
] as const satisfies readonly FraudFlag[];
