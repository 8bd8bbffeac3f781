import type { Principal } from '../auth/principal.ts';

/** Variables the middleware sets for handlers of /api routes. */
export type ApiEnv = { Variables: { principal: Principal } };
