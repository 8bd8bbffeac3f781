import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Route and component tests in jsdom, with the same `~` alias as the app.
export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  test: {
    include: ['app/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['./test/setup.ts'],
    testTimeout: 20_000,
  },
});
