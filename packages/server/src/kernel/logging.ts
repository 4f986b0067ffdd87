// pino options: secrets never reach the log. Headers are redacted by path; the request line is
// logged without secret query parameters; bodies are never logged.
import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

const SECRET_QUERY = /([?&](?:beak_key|token|otp|code|password|sso_token)=)[^&#]*/gi;

export const scrubUrl = (url: string): string => url.replace(SECRET_QUERY, '$1[REDACTED]');

export function loggerOptions(config: Config): FastifyServerOptions['logger'] {
  return {
    level: config.logLevel,
    redact: {
      paths: [
        'req.headers.authorization', 'req.headers["x-beak-key"]', 'req.headers.cookie', 'req.headers["idempotency-key"]',
        '*.beak_key', '*.password', '*.otp', '*.code', '*.token', '*.secret', '*.new_beak_key', '*.access_token', '*.handshake_token',
        'beak_key', 'password', 'otp', 'code', 'token', 'secret',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req: (req: { id: string; method: string; url: string; ip?: string; headers: Record<string, unknown> }) => ({
        id: req.id, method: req.method, url: scrubUrl(req.url), ip: req.ip, userAgent: req.headers['user-agent'],
      }),
    },
  };
}
