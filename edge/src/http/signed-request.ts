import { SIGNATURE_HEADER, verifyBody } from '@tas/shared/signature';
import { createMiddleware } from 'hono/factory';
import { type Bindings, settingsOf } from '../settings.ts';
import { ApiError } from './api-error.ts';

const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Internal endpoints accept only requests signed by the control plane with CONFIG_SIGNING_SECRET
 * (HMAC over timestamp, path and raw body). The verified body is left in `signedBody` for the handler.
 */
export const requireSignedRequest = createMiddleware<{
  Bindings: Bindings;
  Variables: { signedBody: string };
}>(async (c, next) => {
  if (Number(c.req.header('content-length') ?? 0) > MAX_BODY_BYTES) {
    throw new ApiError('payload_too_large', 'The request body is too large.');
  }
  const body = await c.req.text();
  if (body.length > MAX_BODY_BYTES) throw new ApiError('payload_too_large', 'The request body is too large.');
  const check = await verifyBody(
    settingsOf(c.env).configSigningSecret,
    c.req.path,
    body,
    c.req.header(SIGNATURE_HEADER),
  );
  if (!check.ok) throw new ApiError('unauthorized', `Signature ${check.reason}.`);
  c.set('signedBody', body);
  await next();
});
