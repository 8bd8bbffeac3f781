import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Property tests run thousands of cases: on a loaded 2-core CI machine 5 s was not enough
    // for one (clean-text, 3,000 runs), though it takes about 0.5 s alone.
    testTimeout: 30_000,
  },
});
