import { jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { roleSchema } from './roles.ts';

const ISSUER = 'tas-control-plane';
const AUDIENCE = 'tas-api';
export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

const claimsSchema = z.object({ sub: z.uuid(), sid: z.uuid(), role: roleSchema });
export type AccessTokenClaims = z.infer<typeof claimsSchema>;

export type AccessTokenKeys = { secret: Uint8Array };

export function accessTokenKeys(secret: string): AccessTokenKeys {
  return { secret: new TextEncoder().encode(secret) };
}

/** A short-lived HS256 JWT naming the user and its session (checked on every request). */
export function signAccessToken(keys: AccessTokenKeys, claims: AccessTokenClaims, now = new Date()) {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sid: claims.sid, role: claims.role })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ACCESS_TOKEN_TTL_SECONDS)
    .sign(keys.secret);
}

/** The claims of a valid token, or null for anything else (bad signature, expired, other alg). */
export async function verifyAccessToken(
  keys: AccessTokenKeys,
  token: string,
  now = new Date(),
): Promise<AccessTokenClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keys.secret, {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
      currentDate: now,
    });
    const parsed = claimsSchema.safeParse(payload);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
