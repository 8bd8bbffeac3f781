import type { BadgeVariant } from '~/components/ui/badge';

export const CONVERSION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];

/**
 * What each fraud flag means to the person reviewing. The flags the edge holds a conversion for
 * (pending until someone looks) say so.
 */
export const FLAG_TEXT: Record<string, { label: string; detail: string; held: boolean }> = {
  bot_click: {
    label: 'Bot click',
    detail: 'The click came from a user agent known as a bot.',
    held: true,
  },
  txid_conflict: {
    label: 'Txid conflict',
    detail: 'Another click already claimed this order id.',
    held: true,
  },
  currency_unconverted: {
    label: 'Currency unconverted',
    detail: 'The amount came in a currency the network has no rate for.',
    held: true,
  },
  duplicate_click: {
    label: 'Duplicate click',
    detail: 'A repeated click from the same visitor.',
    held: false,
  },
  ip_velocity: { label: 'Click velocity', detail: 'Too many clicks from one address.', held: false },
  blocked_ip: { label: 'Blocked IP', detail: 'The click came from a blocked address.', held: false },
  blocked_user_agent: {
    label: 'Blocked agent',
    detail: 'The click came from a blocked user agent.',
    held: false,
  },
  bot: { label: 'Bot', detail: 'A bot user agent.', held: false },
  conversion_too_fast: {
    label: 'Converted too fast',
    detail: 'Sooner after the click than the offer allows.',
    held: false,
  },
  conversion_too_slow: {
    label: 'Converted too late',
    detail: 'Later after the click than the offer allows.',
    held: false,
  },
};

export function flagText(flag: string) {
  return (
    FLAG_TEXT[flag] ?? { label: flag.replaceAll('_', ' '), detail: flag.replaceAll('_', ' '), held: false }
  );
}

/** Why the edge recorded a conversion rejected. */
export const REASON_TEXT: Record<string, string> = {
  cap_reached: 'Cap reached',
  click_not_payable: 'Click not payable',
  affiliate_inactive: 'Affiliate inactive',
  affiliate_not_approved: 'Affiliate not approved',
};

export function reasonText(reason: string | null): string | null {
  return reason === null ? null : (REASON_TEXT[reason] ?? reason.replaceAll('_', ' '));
}

export const STATUS_VARIANT: Record<ConversionStatus, BadgeVariant> = {
  approved: 'success',
  pending: 'warning',
  rejected: 'destructive',
};

/** The review actions, in the words of the buttons and of the confirmation. */
export const CHANGE_ACTIONS = {
  approve: { label: 'Approve', past: 'approved', verb: 'approve' },
  reject: { label: 'Reject', past: 'rejected', verb: 'reject' },
  pend: { label: 'Set pending', past: 'set pending', verb: 'set pending' },
  reverse: { label: 'Reverse', past: 'reversed', verb: 'reverse' },
  adjust: { label: 'Adjust amounts', past: 'adjusted', verb: 'adjust' },
} as const;
export type ChangeAction = keyof typeof CHANGE_ACTIONS;
export const CHANGE_ACTION_NAMES = Object.keys(CHANGE_ACTIONS) as ChangeAction[];
