import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Secrets for a local stack, made once per state folder and kept there (never committed), so
 * click ids signed yesterday still verify today. Production secrets come from the deployment.
 */
export type DevSecrets = {
  CLICK_ID_KEYS: string;
  INGEST_SIGNING_SECRET: string;
  CONFIG_SIGNING_SECRET: string;
};

export function ensureDevSecrets(stateDir: string): DevSecrets {
  const file = join(stateDir, 'secrets.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  mkdirSync(stateDir, { recursive: true });
  const random = () => randomBytes(32).toString('base64url');
  const secrets: DevSecrets = {
    CLICK_ID_KEYS: JSON.stringify([{ id: 1, secret: random() }]),
    INGEST_SIGNING_SECRET: random(),
    CONFIG_SIGNING_SECRET: random(),
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** The same secrets as a dotenv file for `wrangler dev --env-file`. */
export function writeEdgeEnvFile(stateDir: string, secrets: DevSecrets): string {
  const file = join(stateDir, 'edge.env');
  // Single quotes: dotenv takes the value literally (the click keys are JSON, full of double quotes).
  const line = (key: string, value: string) => {
    if (value.includes("'") || value.includes('\n'))
      throw new Error(`${key} cannot be written to a dotenv file`);
    return `${key}='${value}'`;
  };
  writeFileSync(
    file,
    `${Object.entries(secrets)
      .map(([k, v]) => line(k, v))
      .join('\n')}\n`,
    { mode: 0o600 },
  );
  return file;
}
