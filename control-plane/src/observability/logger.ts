import { hostname } from 'node:os';
import { type DestinationStream, type LevelWithSilent, type Logger, pino } from 'pino';

export type { Logger };

/**
 * The control plane's JSON logger: one object a line, ISO time, the level by name. Only the
 * fields a caller names are written (never whole requests or headers), so credentials cannot
 * slip in; `redact` is a second fence for the usual names.
 */
export function createLogger(
  options: { level?: LevelWithSilent; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'control-plane', pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: ['authorization', 'cookie', 'password', 'token', 'secret', '*.authorization', '*.password'],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
