import { entityIdSchema } from '@tas/shared/ids';
import { z } from 'zod';
import { AD_PLATFORMS } from './ad-platform.ts';

export const adPlatformSchema = z.enum(AD_PLATFORMS).describe('meta, google, tiktok or microsoft');

const digits = (what: string) => z.string().regex(/^\d{1,20}$/, `${what}: digits only`);

export const connectionResponseSchema = z
  .object({
    id: z.uuid(),
    advertiserId: z.number().int(),
    platform: adPlatformSchema,
    label: z.string(),
    accountId: z.string().nullable(),
    loginAccountId: z.string().nullable(),
    source: z.enum(['oauth', 'token']),
    status: z
      .enum(['active', 'needs_reauth', 'disconnected'])
      .describe(
        'needs_reauth: the platform refused the tokens, connect again; disconnected: removed, tokens erased',
      ),
    lastError: z.string().nullable(),
    lastErrorAt: z.iso.datetime().nullable(),
    accessTokenExpiresAt: z.iso.datetime().nullable(),
    spendSyncedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .describe('An ad-platform account TAS may act on; its tokens are never returned')
  .meta({ id: 'AdPlatformConnection' });
export type ConnectionResponse = z.infer<typeof connectionResponseSchema>;

const accountFields = {
  accountId: digits('accountId')
    .nullable()
    .default(null)
    .describe(
      'Meta ad account (without act_), Google Ads customer (10 digits), TikTok advertiser, Microsoft account',
    ),
  loginAccountId: digits('loginAccountId')
    .nullable()
    .default(null)
    .describe('Google: the manager account used to reach it; Microsoft: the customer id'),
};

export const connectionCreateRequestSchema = z
  .object({
    advertiserId: entityIdSchema.optional().describe('Admins: whose account (advertisers: their own)'),
    platform: adPlatformSchema,
    label: z.string().trim().min(1).max(120),
    ...accountFields,
    accessToken: z
      .string()
      .min(8)
      .max(4096)
      .describe('A long-lived token (Meta system user, TikTok), never shown again'),
    refreshToken: z.string().min(8).max(4096).optional(),
  })
  .meta({ id: 'AdPlatformConnectionCreateRequest' });

export const connectionUpdateRequestSchema = z
  .object({
    label: z.string().trim().min(1).max(120).optional(),
    accountId: accountFields.accountId.optional(),
    loginAccountId: accountFields.loginAccountId.optional(),
    accessToken: z.string().min(8).max(4096).optional().describe('Replaces the stored token'),
  })
  .meta({ id: 'AdPlatformConnectionUpdateRequest' });

export const oauthStartRequestSchema = z
  .object({
    advertiserId: entityIdSchema.optional().describe('Admins: whose account (advertisers: their own)'),
    label: z.string().trim().min(1).max(120),
    ...accountFields,
    connectionId: z.uuid().optional().describe('Connect an existing connection again (after needs_reauth)'),
  })
  .meta({ id: 'AdPlatformOAuthStartRequest' });

/** Per-platform destination settings; the platform's own ids, checked for shape, not existence. */
export const destinationSettingsSchema = z
  .object({
    pixelId: digits('pixelId').optional().describe('Meta: the dataset (pixel) id'),
    conversionActionId: digits('conversionActionId').optional().describe('Google: the conversion action id'),
    api: z
      .enum(['data_manager', 'legacy_upload'])
      .optional()
      .describe('Google: Data Manager (default) or uploadClickConversions for accounts allowed to use it'),
    pixelCode: z
      .string()
      .regex(/^[A-Z0-9]{8,40}$/)
      .optional()
      .describe('TikTok: the pixel code'),
    conversionName: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .optional()
      .describe('Microsoft: the offline conversion goal name'),
    eventName: z
      .string()
      .trim()
      .min(1)
      .max(50)
      .optional()
      .describe('The event name sent (Meta Purchase, TikTok CompletePayment by default)'),
  })
  .strict();

const REQUIRED_SETTING = {
  meta: 'pixelId',
  google: 'conversionActionId',
  tiktok: 'pixelCode',
  microsoft: 'conversionName',
} as const;

/** The setting a platform cannot send without, or null when it is there. */
export function missingSetting(
  platform: keyof typeof REQUIRED_SETTING,
  settings: z.infer<typeof destinationSettingsSchema>,
): string | null {
  const key = REQUIRED_SETTING[platform];
  return settings[key] === undefined ? key : null;
}

const destinationFields = {
  name: z.string().trim().min(1).max(120),
  settings: destinationSettingsSchema,
  sendOn: z
    .enum(['approved', 'pending'])
    .default('approved')
    .describe('approved: once approved (default); pending: as soon as counted'),
  consentPolicy: z
    .enum(['required', 'unless_denied'])
    .default('unless_denied')
    .describe(
      'required: only clicks whose consent parameter granted it; unless_denied: all but those that denied it',
    ),
  testEventCode: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .nullable()
    .default(null)
    .describe("Meta/TikTok test_event_code; Google: validate only. Events go to the platform's test view"),
};

export const destinationCreateRequestSchema = z
  .object({
    connectionId: z.uuid(),
    offerId: entityIdSchema
      .nullable()
      .default(null)
      .describe("One offer, or null for all the advertiser's offers"),
    ...destinationFields,
  })
  .meta({ id: 'AdDestinationCreateRequest' });

export const destinationUpdateRequestSchema = z
  .object({
    name: destinationFields.name.optional(),
    settings: destinationSettingsSchema.optional(),
    sendOn: z.enum(['approved', 'pending']).optional(),
    consentPolicy: z.enum(['required', 'unless_denied']).optional(),
    testEventCode: z.string().trim().min(1).max(64).nullable().optional(),
    status: z
      .enum(['active', 'paused', 'archived'])
      .optional()
      .describe('paused: queued conversions wait; archived: no new ones are queued'),
  })
  .meta({ id: 'AdDestinationUpdateRequest' });

export const deliveryCountsSchema = z.object({
  pending: z.number().int(),
  sent: z.number().int(),
  rejected: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

export const destinationResponseSchema = z
  .object({
    id: z.uuid(),
    advertiserId: z.number().int(),
    offerId: z.number().int().nullable(),
    connectionId: z.uuid(),
    platform: adPlatformSchema,
    name: z.string(),
    settings: destinationSettingsSchema,
    sendOn: z.enum(['approved', 'pending']),
    consentPolicy: z.enum(['required', 'unless_denied']),
    testEventCode: z.string().nullable(),
    status: z.enum(['active', 'paused', 'archived']),
    pausedReason: z.string().nullable(),
    pausedAt: z.iso.datetime().nullable(),
    counts: deliveryCountsSchema.describe('Deliveries by state'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .meta({ id: 'AdDestination' });
export type DestinationResponse = z.infer<typeof destinationResponseSchema>;

export const deliveryResponseSchema = z
  .object({
    id: z.uuid(),
    destinationId: z.uuid(),
    conversionId: z.uuid(),
    kind: z.enum(['conversion', 'retraction']),
    state: z.enum(['pending', 'sent', 'rejected', 'failed', 'skipped']),
    skipReason: z
      .string()
      .nullable()
      .describe('Why it was not sent: consent_denied, consent_missing, no_click_id, ...'),
    attempts: z.number().int(),
    nextAttemptAt: z.iso.datetime(),
    lastHttpStatus: z.number().int().nullable(),
    lastResponse: z.string().nullable().describe("The platform's last answer for this event"),
    sentAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AdDelivery' });
export type DeliveryResponse = z.infer<typeof deliveryResponseSchema>;

export const replayRequestSchema = z
  .object({
    deliveryIds: z
      .array(z.uuid())
      .min(1)
      .max(1000)
      .optional()
      .describe('These deliveries; else every one in `states`'),
    states: z
      .array(z.enum(['rejected', 'failed', 'skipped', 'sent']))
      .min(1)
      .default(['rejected', 'failed'])
      .describe('With no ids: the states to send again (default rejected and failed)'),
  })
  .meta({ id: 'AdReplayRequest' });
