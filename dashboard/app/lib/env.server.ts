import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const envSchema = z.object({
  NODE_ENV: z.string().default('development'),
  TAS_API_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8788'),
  TAS_EDGE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8787'),
  SESSION_SECRET: z
    .string()
    .min(32, 'SESSION_SECRET must be at least 32 characters')
    .optional()
    .describe('Signs the session cookie; required in production'),
});

export type DashboardEnv = {
  apiUrl: string;
  edgeUrl: string;
  sessionSecret: string;
  production: boolean;
};

let cached: DashboardEnv | null = null;

/**
 * The dashboard's settings, parsed once. Outside production a missing SESSION_SECRET is made up
 * for this process (sessions end when it restarts); in production it is required.
 */
export function dashboardEnv(env: Record<string, string | undefined> = process.env): DashboardEnv {
  if (cached && env === process.env) return cached;
  const parsed = envSchema.parse(env);
  const production = parsed.NODE_ENV === 'production';
  if (production && !parsed.SESSION_SECRET) throw new Error('SESSION_SECRET is required in production');
  const result = {
    apiUrl: parsed.TAS_API_URL.replace(/\/+$/, ''),
    edgeUrl: parsed.TAS_EDGE_URL.replace(/\/+$/, ''),
    sessionSecret: parsed.SESSION_SECRET ?? randomBytes(32).toString('base64url'),
    production,
  };
  if (env === process.env) cached = result;
  return result;
}
