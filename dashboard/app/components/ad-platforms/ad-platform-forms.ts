import { z } from 'zod';
import { AD_PLATFORMS } from './ad-platform-text';

// The API's own rules (control-plane ad-platform-schemas.ts), checked in the browser and again in the action.
const digits = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, `${what}: digits only`)
    .optional();
const advertiserId = z.number().int().positive().optional();
const label = z
  .string({ error: 'Name it, e.g. “Main ad account”' })
  .trim()
  .min(1, 'Name it, e.g. “Main ad account”')
  .max(120, 'At most 120 characters');

export const tokenConnectionSchema = z.object({
  advertiserId,
  platform: z.enum(AD_PLATFORMS, { error: 'Choose the platform' }),
  label,
  accountId: digits('The account id'),
  loginAccountId: digits('The manager or customer id'),
  accessToken: z
    .string({ error: 'Paste the token' })
    .min(8, 'This is too short to be a token')
    .max(4096, 'At most 4096 characters'),
});

export const oauthConnectionSchema = z.object({
  advertiserId,
  platform: z.enum(AD_PLATFORMS, { error: 'Choose the platform' }),
  label,
  accountId: digits('The account id'),
  loginAccountId: digits('The manager or customer id'),
  connectionId: z.uuid().optional(),
});

const settingsFields = {
  name: z
    .string({ error: 'Name it, e.g. “Meta purchases”' })
    .trim()
    .min(1, 'Name it, e.g. “Meta purchases”')
    .max(120, 'At most 120 characters'),
  sendOn: z.enum(['approved', 'pending']).default('approved'),
  consentPolicy: z.enum(['required', 'unless_denied']).default('unless_denied'),
  testEventCode: z.string().trim().max(64, 'At most 64 characters').optional(),
  pixelId: digits('The pixel id'),
  conversionActionId: digits('The conversion action id'),
  api: z.enum(['data_manager', 'legacy_upload']).default('data_manager'),
  pixelCode: z
    .string()
    .trim()
    .regex(/^[A-Z0-9]{8,40}$/, 'The pixel code: 8 to 40 capital letters and digits')
    .optional(),
  conversionName: z.string().trim().max(100, 'At most 100 characters').optional(),
  eventName: z.string().trim().max(50, 'At most 50 characters').optional(),
  platform: z.enum(AD_PLATFORMS),
};

const REQUIRED: Record<(typeof AD_PLATFORMS)[number], [keyof typeof settingsFields, string]> = {
  meta: ['pixelId', 'Meta needs the pixel (dataset) id'],
  google: ['conversionActionId', 'Google needs the conversion action id'],
  tiktok: ['pixelCode', 'TikTok needs the pixel code'],
  microsoft: ['conversionName', 'Microsoft needs the offline conversion goal name'],
};

function requireSetting<T extends { platform: (typeof AD_PLATFORMS)[number] }>(
  value: T,
  ctx: z.RefinementCtx,
) {
  const [key, message] = REQUIRED[value.platform];
  if (!(value as Record<string, unknown>)[key]) ctx.addIssue({ code: 'custom', path: [key], message });
}

export const destinationCreateSchema = z
  .object({
    connectionId: z.uuid({ error: 'Choose the ad account' }),
    offerId: z.number().int().positive().optional(),
    ...settingsFields,
  })
  .superRefine(requireSetting);

export const destinationEditSchema = z
  .object({ destinationId: z.uuid(), ...settingsFields })
  .superRefine(requireSetting);

type SettingsInput = {
  platform: (typeof AD_PLATFORMS)[number];
  pixelId?: string | undefined;
  conversionActionId?: string | undefined;
  api?: 'data_manager' | 'legacy_upload' | undefined;
  pixelCode?: string | undefined;
  conversionName?: string | undefined;
  eventName?: string | undefined;
};

/** Only the platform's own settings go to the API (it refuses unknown keys). */
export function settingsOf(input: SettingsInput) {
  const event = input.eventName ? { eventName: input.eventName } : {};
  switch (input.platform) {
    case 'meta':
      return { pixelId: input.pixelId, ...event };
    case 'google':
      return { conversionActionId: input.conversionActionId, api: input.api ?? 'data_manager', ...event };
    case 'tiktok':
      return { pixelCode: input.pixelCode, ...event };
    case 'microsoft':
      return { conversionName: input.conversionName, ...event };
  }
}
