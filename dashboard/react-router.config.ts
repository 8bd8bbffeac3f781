import type { Config } from '@react-router/dev/config';

export default {
  ssr: true,
  // Middleware (auth, CSRF) runs once per request around every loader and action of a page.
  future: { v8_middleware: true },
} satisfies Config;
