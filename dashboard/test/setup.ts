import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// A route stub renders after its loader resolves, a few ticks later; on a busy 2-core machine
// that took longer than testing-library's 1 s default wait. A missing element still fails, later.
configure({ asyncUtilTimeout: 5_000 });

afterEach(() => cleanup());
