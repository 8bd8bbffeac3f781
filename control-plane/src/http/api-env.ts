import type { Principal } from '../auth/principal.ts';
import type { CallerIdentity } from './middleware/identify-caller.ts';

/** Variables the middleware sets for handlers of /api routes. */
export type ApiEnv = {
  Variables: {
    principal: Principal;
    /** Who sent the request, resolved once for every /api route (middleware/identify-caller.ts). */
    caller: CallerIdentity;
  };
};
