import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';
import { TEST_SECRETS } from './test/test-secrets.ts';

// Tests run inside workerd with the real KV and Queue bindings of wrangler.toml; only the secrets
// that production gets from `wrangler secret put` are supplied here.
export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../wrangler.toml' },
      miniflare: { bindings: { ...TEST_SECRETS } },
    }),
  ],
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
