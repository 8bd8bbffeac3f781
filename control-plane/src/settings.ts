import { ipRangeTextSchema } from '@tas/shared/ip-match';
import { z } from 'zod';
import { DEFAULT_RATE_LIMITS } from './http/rate-limit/rate-limits.ts';

const secret = (what: string) => z.string().min(32, `${what}: at least 32 characters`);

/** Environment of the control plane, parsed once at start; a bad value stops the start with a clear message. */
export const settingsSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number().int().min(1).max(65535).default(8788),
    HOST: z.string().default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
      .optional()
      .describe('Postgres to use; without it the embedded PGlite in PGLITE_DIR is used'),
    DATABASE_DRIVER: z.enum(['pg', 'neon']).optional().describe('Overrides the driver guessed from the URL'),
    REPORTS_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
      .optional()
      .describe('A read replica for reports, CSV exports and the ROI report; unset, they read DATABASE_URL'),
    NEON_WS_PROXY: z
      .string()
      .optional()
      .describe('host:port/path of a WebSocket proxy for the Neon driver in front of a plain Postgres'),
    PGLITE_DIR: z
      .string()
      .default('.tas/pglite')
      .describe('Data folder of the embedded database, or memory://'),
    EDGE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8787'),
    EDGE_PUBLIC_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Public base of tracking links shown to affiliates; default EDGE_URL'),
    INGEST_SIGNING_SECRET: secret('INGEST_SIGNING_SECRET'),
    CONFIG_SIGNING_SECRET: secret('CONFIG_SIGNING_SECRET'),
    JWT_SECRET: secret('JWT_SECRET')
      .optional()
      .describe('HMAC key of access tokens; generated and kept in SECRETS_DIR outside production'),
    PAYMENT_DETAILS_KEY: z
      .string()
      .regex(/^[A-Za-z0-9+/]{43}=$/, 'PAYMENT_DETAILS_KEY: 32 bytes in base64')
      .optional()
      .describe('AES-256-GCM key for affiliates payment details; generated outside production'),
    SECRETS_DIR: z
      .string()
      .optional()
      .describe('Where development secrets are generated and kept; default: the parent of PGLITE_DIR'),
    CREATIVE_STORAGE_DIR: z
      .string()
      .optional()
      .describe("Folder of the creatives' asset library; default: creatives/ beside PGLITE_DIR"),
    CREATIVE_STORAGE: z
      .enum(['local', 's3'])
      .default('local')
      .describe(
        'Where the asset library keeps files: a local folder, or an S3-compatible bucket (S3, R2, MinIO)',
      ),
    S3_ENDPOINT: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe(
        'S3-compatible endpoint, e.g. https://<account>.r2.cloudflarestorage.com; requests are path-style',
      ),
    S3_BUCKET: z.string().min(3).max(63).optional(),
    S3_REGION: z.string().min(1).default('auto').describe('SigV4 region: auto for R2, us-east-1 for MinIO'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    PUBLIC_API_URL: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Public base of this API, for the asset URLs creatives carry; default http://HOST:PORT'),
    ROTATION_SWEEP_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .max(3_600_000)
      .default(60_000)
      .describe(
        "How often the rotation bandit looks for offers due a recomputation (each offer's own interval still applies)",
      ),
    PUBLIC_APP_URL: z
      .url({ protocol: /^https?$/ })
      .default('http://127.0.0.1:3000')
      .describe('Base of links in emails (password reset)'),
    MAIL_TRANSPORT: z
      .enum(['smtp', 'sendgrid', 'outbox'])
      .optional()
      .describe(
        'smtp (SMTP_URL), sendgrid (SENDGRID_API_KEY, its HTTP API) or outbox (files in SECRETS_DIR/outbox); ' +
          'default: smtp when SMTP_URL is set, else sendgrid when SENDGRID_API_KEY is, else outbox',
      ),
    SENDGRID_API_KEY: z.string().min(1).optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'an smtp:// or smtps:// URL')
      .optional(),
    TRUSTED_IP_HEADER: z
      .string()
      .regex(/^[a-z0-9-]+$/)
      .optional()
      .describe('Header a trusted proxy sets to the client address (x-forwarded-for, cf-connecting-ip)'),
    TRUSTED_PROXY_HOPS: z.coerce
      .number()
      .int()
      .min(1)
      .max(10)
      .default(1)
      .describe(
        'How many trusted proxies append to TRUSTED_IP_HEADER: the address used is this many entries from the right',
      ),
    MAIL_FROM: z.string().default('TAS <no-reply@tas.localhost>'),
    POSTBACK_ALLOW_PRIVATE_NETWORKS: z
      .enum(['0', '1', 'true', 'false'])
      .default('0')
      .transform((v) => v === '1' || v === 'true')
      .describe('Let affiliate postbacks reach private/loopback addresses (local testing only)'),
    POSTBACK_TRUSTED_NETWORKS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      )
      .pipe(z.array(ipRangeTextSchema))
      .describe(
        'Comma-separated CIDR ranges affiliate postbacks may reach although not public (peered networks)',
      ),
    STRIPE_SECRET_KEY: z
      .string()
      .regex(
        /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/,
        'a Stripe secret or restricted key (sk_test_..., sk_live_...)',
      )
      .optional()
      .describe('Stripe API key: top-ups, Connect payouts, invoices; unset, Stripe is disabled'),
    STRIPE_WEBHOOK_SECRET: z
      .string()
      .regex(/^whsec_[A-Za-z0-9_]+$/, 'the signing secret of the webhook endpoint (whsec_...)')
      .optional()
      .describe('Signing secret of the Stripe webhook endpoint /webhooks/stripe'),
    STRIPE_API_BASE: z
      .url({ protocol: /^https?$/ })
      .optional()
      .describe('Another Stripe API address (a local fake or proxy); default https://api.stripe.com'),
    PAYPAL_CLIENT_ID: z.string().min(1).optional().describe('PayPal REST app client id (Payouts)'),
    PAYPAL_CLIENT_SECRET: z.string().min(1).optional().describe('PayPal REST app secret'),
    PAYPAL_WEBHOOK_ID: z
      .string()
      .min(1)
      .optional()
      .describe('Id of the PayPal webhook pointing at /webhooks/paypal, for signature verification'),
    PAYPAL_API_BASE: z
      .url({ protocol: /^https?$/ })
      .default('https://api-m.paypal.com')
      .describe('PayPal REST base; https://api-m.sandbox.paypal.com for the sandbox'),
    OPENAI_API_KEY: z
      .string()
      .min(1)
      .optional()
      .describe('OpenAI API key: AI creatives (GPT image models, Sora videos); unset, OpenAI is disabled'),
    OPENAI_BASE_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://api.openai.com/v1')
      .describe('OpenAI API base, with its /v1 (a proxy or local fake)'),
    GEMINI_API_KEY: z
      .string()
      .min(1)
      .optional()
      .describe('Gemini API key: AI creatives (Gemini image models, Veo videos); unset, Gemini is disabled'),
    GEMINI_BASE_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://generativelanguage.googleapis.com')
      .describe('Gemini API base (a proxy or local fake)'),
    STABILITY_API_KEY: z
      .string()
      .min(1)
      .optional()
      .describe('Stability AI API key: AI creative images; unset, Stability is disabled'),
    STABILITY_API_BASE: z
      .url({ protocol: /^https?$/ })
      .default('https://api.stability.ai')
      .describe('Stability AI REST base (a proxy or local fake)'),
    META_APP_ID: z
      .string()
      .min(1)
      .optional()
      .describe('Meta app id: advertisers connect ad accounts by OAuth'),
    META_APP_SECRET: z.string().min(1).optional().describe('Meta app secret'),
    META_GRAPH_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://graph.facebook.com')
      .describe('Meta Graph API base (Conversions API, insights, campaigns)'),
    META_DIALOG_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://www.facebook.com')
      .describe("Meta's OAuth dialog base"),
    GOOGLE_CLIENT_ID: z
      .string()
      .min(1)
      .optional()
      .describe('Google OAuth client id: Google Ads and Data Manager'),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional().describe('Google OAuth client secret'),
    GOOGLE_ADS_DEVELOPER_TOKEN: z
      .string()
      .min(1)
      .optional()
      .describe('Google Ads API developer token (spend, campaigns, legacy conversion upload)'),
    GOOGLE_DATA_MANAGER_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://datamanager.googleapis.com')
      .describe('Google Data Manager API base (conversion events)'),
    GOOGLE_ADS_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://googleads.googleapis.com')
      .describe('Google Ads API REST base'),
    GOOGLE_AUTH_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://accounts.google.com')
      .describe("Google's OAuth authorisation base"),
    GOOGLE_TOKEN_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://oauth2.googleapis.com')
      .describe("Google's OAuth token base"),
    TIKTOK_APP_ID: z.string().min(1).optional().describe('TikTok for Business app id (OAuth)'),
    TIKTOK_APP_SECRET: z.string().min(1).optional().describe('TikTok for Business app secret'),
    TIKTOK_API_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://business-api.tiktok.com')
      .describe('TikTok Business API base (Events API, reports, campaigns, OAuth)'),
    MICROSOFT_CLIENT_ID: z.string().min(1).optional().describe('Microsoft Advertising app (Entra) client id'),
    MICROSOFT_CLIENT_SECRET: z.string().min(1).optional().describe('Microsoft Advertising app client secret'),
    MICROSOFT_DEVELOPER_TOKEN: z.string().min(1).optional().describe('Microsoft Advertising developer token'),
    MICROSOFT_ADS_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://campaign.api.bingads.microsoft.com')
      .describe('Microsoft Advertising Campaign Management API base'),
    MICROSOFT_LOGIN_URL: z
      .url({ protocol: /^https?$/ })
      .default('https://login.microsoftonline.com')
      .describe('Microsoft identity platform base (OAuth)'),
    AD_PLATFORM_SWEEP_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(100)
      .default(5_000)
      .describe('How often the ad-platform outbox looks for conversions to send'),
    AD_SPEND_SYNC_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(3_600_000)
      .describe('How often spend is read back from connected ad platforms (the last 7 days each time)'),
    CLICK_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(0)
      .max(36_500)
      .default(0)
      .describe(
        'Days raw clicks are kept (their day partitions dropped after); 0 keeps them all. Hourly rollups, conversions and money stay',
      ),
    PERSONAL_DATA_RETENTION_DAYS: z.coerce
      .number()
      .int()
      .min(0)
      .max(36_500)
      .default(0)
      .describe(
        'Days after which the ip, user agent and referrer of clicks and the ip, user agent and customer hashes of conversions are erased, and quarantined events deleted; 0 keeps them (docs/privacy.md)',
      ),
    CLICK_PARTITIONS_AHEAD_DAYS: z.coerce
      .number()
      .int()
      .min(2)
      .max(90)
      .default(7)
      .describe('Days of click partitions created ahead of today'),
    SHUTDOWN_GRACE_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .max(600_000)
      .default(25_000)
      .describe(
        "How long a graceful shutdown (SIGTERM) may take in all: below the platform's grace period (Kubernetes 30 s)",
      ),
    SHUTDOWN_DELAY_MS: z.coerce
      .number()
      .int()
      .min(0)
      .max(60_000)
      .default(0)
      .describe(
        'How long /readyz answers 503 before the server stops taking connections (load balancer catch-up)',
      ),
    METRICS_TOKEN: z
      .string()
      .min(32, 'METRICS_TOKEN: at least 32 characters')
      .regex(/^\S+$/, 'METRICS_TOKEN: no spaces')
      .optional()
      .describe(
        'Bearer token Prometheus sends to GET /metrics. Unset: /metrics answers 404 in production; ' +
          'outside production it is open when HOST is a loopback address',
      ),
    RATE_LIMIT_API_KEY_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(0)
      .default(DEFAULT_RATE_LIMITS.apiKeyPerMinute)
      .describe('Requests a minute each API key may make to /api, across instances; 0: no limit'),
    RATE_LIMIT_USER_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(0)
      .default(DEFAULT_RATE_LIMITS.userPerMinute)
      .describe('Requests a minute each signed-in user may make to /api (all their sessions); 0: no limit'),
    RATE_LIMIT_IP_PER_MINUTE: z.coerce
      .number()
      .int()
      .min(0)
      .default(DEFAULT_RATE_LIMITS.ipPerMinute)
      .describe(
        'Requests a minute to /api without a valid credential (login, sign-up, docs) per client address; 0: no limit',
      ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info')
      .describe('Level of the JSON request log (one line per request at info)'),
    SEED_DEMO: z
      .enum(['0', '1', 'true', 'false'])
      .default('0')
      .transform((v) => v === '1' || v === 'true')
      .describe('Seed demo data and users on start (local only; refused with NODE_ENV=production)'),
  })
  .superRefine((s, ctx) => {
    if (s.MAIL_TRANSPORT === 'smtp' && !s.SMTP_URL) {
      ctx.addIssue({ code: 'custom', path: ['SMTP_URL'], message: 'required with MAIL_TRANSPORT=smtp' });
    }
    if (s.MAIL_TRANSPORT === 'sendgrid' && !s.SENDGRID_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['SENDGRID_API_KEY'],
        message: 'required with MAIL_TRANSPORT=sendgrid',
      });
    }
    if (s.CREATIVE_STORAGE === 's3') {
      for (const key of ['S3_ENDPOINT', 'S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
        if (!s[key])
          ctx.addIssue({ code: 'custom', path: [key], message: 'required with CREATIVE_STORAGE=s3' });
      }
    }
    if (Boolean(s.PAYPAL_CLIENT_ID) !== Boolean(s.PAYPAL_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [s.PAYPAL_CLIENT_ID ? 'PAYPAL_CLIENT_SECRET' : 'PAYPAL_CLIENT_ID'],
        message: 'PAYPAL_CLIENT_ID and PAYPAL_CLIENT_SECRET go together',
      });
    }
    // Production must be configured on purpose: no generated keys, no mail into a folder.
    if (s.NODE_ENV !== 'production') return;
    for (const key of ['JWT_SECRET', 'PAYMENT_DETAILS_KEY'] as const) {
      if (!s[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'required when NODE_ENV=production' });
    }
    // The demo users' password is printed in the README: seeding them would open the network.
    if (s.SEED_DEMO) {
      ctx.addIssue({
        code: 'custom',
        path: ['SEED_DEMO'],
        message: 'demo data (users with a published password) is never seeded when NODE_ENV=production',
      });
    }
    if (mailTransportOf(s) === 'outbox' && s.MAIL_TRANSPORT !== 'outbox') {
      ctx.addIssue({
        code: 'custom',
        path: ['SMTP_URL'],
        message: 'SMTP_URL or SENDGRID_API_KEY required when NODE_ENV=production',
      });
    }
  });

/** How mail leaves: the transport named, or the one whose credentials are set. */
export function mailTransportOf(
  s: Pick<Settings, 'MAIL_TRANSPORT' | 'SMTP_URL' | 'SENDGRID_API_KEY'>,
): 'smtp' | 'sendgrid' | 'outbox' {
  return s.MAIL_TRANSPORT ?? (s.SMTP_URL ? 'smtp' : s.SENDGRID_API_KEY ? 'sendgrid' : 'outbox');
}
export type Settings = z.infer<typeof settingsSchema>;

export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid control plane settings:\n${problems}`);
  }
  return parsed.data;
}
