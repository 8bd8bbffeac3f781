// Secrets are not in wrangler.toml, so `wrangler types` cannot see them; their types come from the
// zod schema that validates them (settings.ts) and are merged into the generated Env here.
import type { SecretBindings } from './settings.ts';

declare global {
  namespace Cloudflare {
    interface Env extends SecretBindings {}
  }
}
