// The error envelope of CONTRACT §1.5. Services throw AppError; the HTTP layer renders it.

export interface FieldError { field: string; message: string }

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code: string,
    message: string,
    readonly details?: FieldError[] | Record<string, unknown>,
    /** Extra top-level fields of the body (e.g. `valid: false` for certificate lookups). */
    readonly extra?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const errors = {
  validation: (message: string, details?: FieldError[]) => new AppError(400, 'VALIDATION_FAILED', 'E4000', message, details),
  invalidOtp: (message = 'Invalid code') => new AppError(400, 'INVALID_OTP', 'E4005', message),
  expired: (message = 'Code expired') => new AppError(400, 'EXPIRED', 'E4006', message),
  unauthorized: (message = 'Invalid or missing credentials') => new AppError(401, 'UNAUTHORIZED', 'E4001', message),
  tier: (required: string) => new AppError(403, 'TRUST_TIER_INSUFFICIENT', 'E4002', `Trust tier ${required} or higher required`),
  forbidden: (message = 'Not allowed') => new AppError(403, 'FORBIDDEN', 'E4030', message),
  notFound: (message = 'Not found', extra?: Record<string, unknown>) => new AppError(404, 'NOT_FOUND', 'E4040', message, undefined, extra),
  methodNotAllowed: (allow: string[]) => new AppError(405, 'METHOD_NOT_ALLOWED', 'E4050', `Method not allowed; use ${allow.join(', ')}`, undefined, undefined, { allow: allow.join(', ') }),
  exists: (message = 'Already exists') => new AppError(409, 'ALREADY_EXISTS', 'E4003', message),
  conflict: (message: string) => new AppError(409, 'CONFLICT', 'E4090', message),
  tooLarge: (message = 'Request body too large') => new AppError(413, 'PAYLOAD_TOO_LARGE', 'E4130', message),
  unsupportedMedia: (message = 'Content-Type must be application/json') => new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'E4150', message),
  rateLimited: (retryAfterSeconds: number, message = 'Too many requests') =>
    new AppError(429, 'RATE_LIMITED', 'E4004', message, undefined, undefined, { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) }),
  internal: () => new AppError(500, 'INTERNAL', 'E5001', 'Internal error'),
  unavailable: (message = 'A dependency is unavailable') => new AppError(503, 'UNAVAILABLE', 'E5030', message),
};
