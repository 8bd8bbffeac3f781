import { and, desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/database.ts';
import { type ApiKey, apiKeys } from '../db/schema/api-keys.ts';
import { ApiError } from '../http/api-error.ts';
import { newOpaqueToken, tokenHash } from './opaque-tokens.ts';
import type { Principal } from './principal.ts';
import { API_KEY_PREFIX } from './resolve-principal.ts';
import { ROLE_SCOPES } from './role-scopes.ts';
import { scopeSchema } from './roles.ts';

export const apiKeyCreateRequestSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    scopes: z.array(scopeSchema).min(1).max(20),
    expiresAt: z.iso
      .datetime({ offset: true })
      .nullish()
      .describe('When the key stops working (in the future); none: until revoked'),
  })
  .meta({ id: 'ApiKeyCreateRequest' });

export const apiKeyResponseSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().describe('The start of the key, to tell keys apart'),
    scopes: z.array(z.string()),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable().describe('When it was last used (to the minute)'),
    lastUsedIp: z.string().nullable().describe('The address it was last used from'),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

export function apiKeyResponse(key: ApiKey): z.infer<typeof apiKeyResponseSchema> {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    scopes: key.scopes,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: key.lastUsedIp,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
  };
}

/** Creates a key for the caller; the full key is returned this once and never stored. */
export async function createApiKey(
  db: Database,
  principal: Principal,
  input: z.input<typeof apiKeyCreateRequestSchema>,
  now = new Date(),
): Promise<{ key: string; apiKey: ApiKey }> {
  const values = apiKeyCreateRequestSchema.parse(input);
  if (values.expiresAt && new Date(values.expiresAt) <= now) {
    throw new ApiError('invalid_request', 'expiresAt must be in the future.');
  }
  const allowed = ROLE_SCOPES[principal.role];
  const beyond = values.scopes.filter((s) => !allowed.includes(s));
  if (beyond.length) throw new ApiError('forbidden', `Your role cannot grant: ${beyond.join(', ')}.`);
  const secret = newOpaqueToken();
  const prefix = secret.slice(0, 8);
  const key = `${API_KEY_PREFIX}${secret}`;
  const [apiKey] = await db
    .insert(apiKeys)
    .values({
      userId: principal.userId,
      name: values.name,
      prefix: `${API_KEY_PREFIX}${prefix}`,
      keyHash: tokenHash(key),
      scopes: [...new Set(values.scopes)],
      expiresAt: values.expiresAt ? new Date(values.expiresAt) : null,
    })
    .returning();
  if (!apiKey) throw new Error('insert returned no row');
  return { key, apiKey };
}

export function listApiKeys(db: Database, principal: Principal): Promise<ApiKey[]> {
  return db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.userId, principal.userId))
    .orderBy(desc(apiKeys.createdAt));
}

/**
 * Revokes one of the caller's keys; someone else's key is reported as not found. Returns the key
 * as it was, and whether this call revoked it (false: it was revoked already).
 */
export async function revokeApiKey(
  db: Database,
  principal: Principal,
  id: string,
  now = new Date(),
): Promise<{ apiKey: ApiKey; revoked: boolean }> {
  const [existing] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, principal.userId)));
  if (!existing) throw new ApiError('not_found', `API key ${id} does not exist.`);
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return { apiKey: existing, revoked: revoked.length > 0 };
}

/** Revokes every key of a user still in force (disabled, or signed out everywhere); returns how many. */
export async function revokeUserApiKeys(db: Database, userId: string, now = new Date()): Promise<number> {
  const revoked = await db
    .update(apiKeys)
    .set({ revokedAt: now })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return revoked.length;
}
