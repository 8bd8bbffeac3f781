import { DEMO_PASSWORD, DEMO_USERS } from '../control-plane/src/demo/seed-demo.ts';
import { startStack } from './stack.ts';

/**
 * `npm start` / `pnpm dev`: the whole stack on embedded defaults, demo data included. State
 * (PGlite data, local KV and Queue, dev secrets) lives in .tas/ and survives restarts.
 */
const started = Date.now();
const stack = await startStack({
  stateDir: process.env.TAS_STATE_DIR ?? '.tas',
  ports: {
    edge: Number(process.env.TAS_EDGE_PORT ?? 8787),
    api: Number(process.env.TAS_API_PORT ?? 8788),
    dashboard: Number(process.env.TAS_DASHBOARD_PORT ?? 3000),
  },
  seedDemo: true,
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
});

const { edge, api, dashboard } = stack.urls;
console.log(`
TAS is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C stops everything.

  Dashboard       ${dashboard}
  Control plane   ${api}/healthz
  Edge            ${edge}/healthz

  Tracking link   ${edge}/c/1?aff_id=1&sub1=demo
                  (demo offer 1, demo affiliate 1; short form: ${edge}/c/1/1)
  Postback URL    ${edge}/postback?click_id={click_id}&amount=49.90&txid={order_id}
                  (put the click_id from the tracking link's redirect in place of {click_id})

  API docs        ${api}/api/docs
  Demo logins     ${DEMO_USERS.admin}, ${DEMO_USERS.advertiser}, ${DEMO_USERS.affiliate}
                  (password: ${DEMO_PASSWORD}; POST ${api}/api/v1/auth/login)

  Try it (with a browser's user agent: bots, curl's own included, are not counted as clicks):
    curl -si -A 'Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36' '${edge}/c/1?aff_id=1&sub1=demo' | grep -i '^location'
    curl -s '${edge}/postback?click_id=<click_id>&amount=49.90&txid=ORDER-1'
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping TAS...');
    await stack.stop();
    console.log('stopped.');
    process.exit(0);
  });
}
