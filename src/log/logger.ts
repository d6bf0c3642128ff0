import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * The process logger. Secrets that may reach a log line by accident are redacted by path,
 * so an access code or token never lands in the logs.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      name: 'confgate',
      level,
      redact: {
        paths: [
          'accessCode',
          '*.accessCode',
          'code',
          '*.code',
          'token',
          '*.token',
          'req.headers.authorization',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}
