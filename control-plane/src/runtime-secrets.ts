import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Settings } from './settings.ts';

const storedSchema = z.object({ JWT_SECRET: z.string().min(32), PAYMENT_DETAILS_KEY: z.string() });
export type RuntimeSecrets = z.infer<typeof storedSchema> & { secretsDir: string };

/** Where generated development secrets (and the mail outbox) live: beside the embedded database. */
export function secretsDirFor(settings: Pick<Settings, 'SECRETS_DIR' | 'PGLITE_DIR'>): string {
  if (settings.SECRETS_DIR) return settings.SECRETS_DIR;
  const pglite = settings.PGLITE_DIR.startsWith('memory://') ? '.tas/pglite' : settings.PGLITE_DIR;
  return dirname(pglite);
}

/**
 * The keys of the control plane. Set in the environment, they are used as they are (production
 * requires that, see settings.ts). Otherwise they are generated once and kept in a 0600 file, so
 * `npm start` works with no configuration and sessions and encrypted data survive a restart.
 */
export function resolveRuntimeSecrets(settings: Settings): RuntimeSecrets {
  const secretsDir = secretsDirFor(settings);
  if (settings.JWT_SECRET && settings.PAYMENT_DETAILS_KEY) {
    return { JWT_SECRET: settings.JWT_SECRET, PAYMENT_DETAILS_KEY: settings.PAYMENT_DETAILS_KEY, secretsDir };
  }
  const file = join(secretsDir, 'control-plane-secrets.json');
  let stored: z.infer<typeof storedSchema>;
  if (existsSync(file)) {
    stored = storedSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } else {
    stored = {
      JWT_SECRET: randomBytes(48).toString('base64url'),
      PAYMENT_DETAILS_KEY: randomBytes(32).toString('base64'),
    };
    mkdirSync(secretsDir, { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  }
  return {
    JWT_SECRET: settings.JWT_SECRET ?? stored.JWT_SECRET,
    PAYMENT_DETAILS_KEY: settings.PAYMENT_DETAILS_KEY ?? stored.PAYMENT_DETAILS_KEY,
    secretsDir,
  };
}
