import { randomBytes } from 'node:crypto';
import { parseClickIdKeys } from '@tas/shared/click-id';
import { rotateClickIdKeys } from '@tas/shared/click-id-rotation';

/**
 * Prints the next CLICK_ID_KEYS for a rotation (see docs/edge-operations.md):
 *
 *   CLICK_ID_KEYS='[...]' pnpm rotate-click-key [grace-days, default 35]
 */
const current = process.env.CLICK_ID_KEYS;
const graceDays = Number(process.argv[2] ?? 35);
if (!current || !Number.isInteger(graceDays) || graceDays < 1) {
  console.error('usage: CLICK_ID_KEYS=<current ring JSON> rotate-click-key [grace-days]');
  process.exit(2);
}
const next = rotateClickIdKeys(parseClickIdKeys(current), {
  now: new Date(),
  graceDays,
  newSecret: randomBytes(32).toString('base64url'),
});
console.log(JSON.stringify(next));
