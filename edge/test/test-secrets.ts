/** Secrets for tests only; production ones come from `wrangler secret put`. */
export const TEST_CLICK_ID_KEYS = [
  { id: 2, secret: 'test-click-key-2-0123456789abcdefghijklmnop' },
  { id: 1, secret: 'test-click-key-1-0123456789abcdefghijklmnop', retiresAt: '2099-01-01T00:00:00Z' },
];

export const TEST_SECRETS = {
  CLICK_ID_KEYS: JSON.stringify(TEST_CLICK_ID_KEYS),
  INGEST_SIGNING_SECRET: 'test-ingest-secret-0123456789abcdefghijkl',
  CONFIG_SIGNING_SECRET: 'test-config-secret-0123456789abcdefghijkl',
};
