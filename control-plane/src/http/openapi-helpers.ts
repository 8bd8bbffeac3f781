import { z } from 'zod';
import { ERROR_CODES, ERROR_STATUS, type ErrorCode } from './api-error.ts';

export const errorResponseSchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES).describe('Closed list; switch on it'),
      message: z.string().describe('For people; may change'),
      requestId: z.string(),
    }),
  })
  .meta({ id: 'Error' });

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { 'application/json': { schema } },
  };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Invalid request',
  401: 'Not authenticated',
  403: 'Not allowed',
  404: 'Not found',
  409: 'Conflict',
  429: 'Too many attempts',
  502: 'The edge did not take the change',
};

/** The documented error answers of a route, by code. */
export function errorResponses(...codes: ErrorCode[]) {
  const statuses = new Map<number, ErrorCode[]>();
  // Whoever authenticates may be refused for a suspended company (auth/account-suspension.ts).
  const suspended: ErrorCode[] = codes.includes('unauthorized') ? ['account_suspended'] : [];
  for (const code of ['invalid_json', 'invalid_request', ...codes, ...suspended] as ErrorCode[]) {
    const status = ERROR_STATUS[code];
    statuses.set(status, [...(statuses.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...statuses].map(([status, list]) => [
      status,
      jsonResponse(
        errorResponseSchema,
        `${STATUS_TEXT[status] ?? 'Error'}: ${[...new Set(list)].join(', ')}`,
      ),
    ]),
  );
}

export const bearerSecurity = [{ bearerAuth: [] }];
