import { z } from 'zod';

/** Environment of the control plane, parsed once at start; a bad value stops the start with a clear message. */
export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(8788),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// URL')
    .optional()
    .describe('Postgres to use; without it the embedded PGlite in PGLITE_DIR is used'),
  DATABASE_DRIVER: z.enum(['pg', 'neon']).optional().describe('Overrides the driver guessed from the URL'),
  NEON_WS_PROXY: z
    .string()
    .optional()
    .describe('host:port/path of a WebSocket proxy for the Neon driver in front of a plain Postgres'),
  PGLITE_DIR: z
    .string()
    .default('.tas/pglite')
    .describe('Data folder of the embedded database, or memory://'),
  EDGE_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8787'),
  INGEST_SIGNING_SECRET: z.string().min(32),
  CONFIG_SIGNING_SECRET: z.string().min(32),
  SEED_DEMO: z
    .enum(['0', '1', 'true', 'false'])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
});
export type Settings = z.infer<typeof settingsSchema>;

export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid control plane settings:\n${problems}`);
  }
  return parsed.data;
}
