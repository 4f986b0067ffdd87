// Typed errors. Every API failure is an ApiError carrying the envelope of CONTRACT §1.5
// (`error`, `code`, `message`, `details`, `request_id`); the subclass names the code so callers
// can `catch (e) { if (e instanceof RateLimitError) … }` instead of comparing strings.

/** The contract's error codes (CONTRACT §1.5); a newer server may send others. */
export type ErrorCode =
  | 'E4000' | 'E4001' | 'E4002' | 'E4003' | 'E4004' | 'E4005' | 'E4006'
  | 'E4030' | 'E4040' | 'E4050' | 'E4090' | 'E4130' | 'E4150' | 'E5001' | 'E5030'
  | (string & {});

export interface ErrorEnvelope {
  error: string;
  message: string;
  code: ErrorCode;
  details?: unknown;
  request_id?: string;
  [extra: string]: unknown;
}

export class SpaceDuckError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class ApiError extends SpaceDuckError {
  /** HTTP status. */
  readonly status: number;
  /** The envelope's machine code, e.g. `E4001`. */
  readonly code: ErrorCode;
  /** The envelope's `error`, e.g. `UNAUTHORIZED`. */
  readonly error: string;
  readonly details: unknown;
  readonly requestId: string | undefined;
  /** The whole response body (it may carry extra fields, e.g. `valid: false`). */
  readonly body: ErrorEnvelope;
  readonly method: string;
  readonly path: string;

  constructor(status: number, body: ErrorEnvelope, request: { method: string; path: string }, requestId?: string) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.error = body.error;
    this.details = body.details;
    this.requestId = body.request_id ?? requestId;
    this.body = body;
    this.method = request.method;
    this.path = request.path;
  }
}

/** E4000: malformed JSON or invalid fields; `details` lists the fields. */
export class ValidationError extends ApiError {}
/** E4001: the credential is missing, malformed, unknown, expired or revoked. */
export class AuthenticationError extends ApiError {}
/** E4002: the caller's trust tier is too low. */
export class TrustTierError extends ApiError {}
/** E4003: the email (or another unique thing) already exists. */
export class AlreadyExistsError extends ApiError {}
/** E4005 / E4006: a wrong or expired one-time code (or an expired peck). */
export class OtpError extends ApiError {
  get expired(): boolean { return this.code === 'E4006'; }
}
/** E4030: authenticated, but not allowed on this resource. */
export class ForbiddenError extends ApiError {}
/** E4040 */
export class NotFoundError extends ApiError {}
/** E4090: a state conflict (peck already decided, idempotency key reused with another body…). */
export class ConflictError extends ApiError {}
/** E4004, after the client has used up its retries (or the wait asked for was too long). */
export class RateLimitError extends ApiError {
  /** How long the server asked to wait (from `Retry-After`), in milliseconds. */
  retryAfterMs: number | undefined;
  constructor(status: number, body: ErrorEnvelope, request: { method: string; path: string }, requestId?: string, retryAfterMs?: number) {
    super(status, body, request, requestId);
    this.retryAfterMs = retryAfterMs;
  }
}
/** 5xx: E5001 (internal) or E5030 (a dependency is down), after retries where retrying was safe. */
export class ServerError extends ApiError {}

/** The request never got an HTTP answer (DNS, refused, reset…). */
export class NetworkError extends SpaceDuckError {}
/** No answer within the client's timeout. */
export class TimeoutError extends SpaceDuckError {}
/** A webhook whose signature, timestamp or format is wrong. */
export class WebhookVerificationError extends SpaceDuckError {}

const BY_CODE: Record<string, typeof ApiError> = {
  E4000: ValidationError, E4001: AuthenticationError, E4002: TrustTierError, E4003: AlreadyExistsError,
  E4005: OtpError, E4006: OtpError, E4030: ForbiddenError, E4040: NotFoundError, E4090: ConflictError,
};

/** Contract codes for answers that are not an envelope (a proxy's HTML page, an empty 502…). */
function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400: return 'E4000';
    case 401: return 'E4001';
    case 403: return 'E4030';
    case 404: return 'E4040';
    case 409: return 'E4090';
    case 413: return 'E4130';
    case 429: return 'E4004';
    case 503: return 'E5030';
    default: return status >= 500 ? 'E5001' : 'E4000';
  }
}

export function isEnvelope(body: unknown): body is ErrorEnvelope {
  const b = body as ErrorEnvelope | null;
  return !!b && typeof b === 'object' && typeof b.error === 'string' && typeof b.message === 'string' && typeof b.code === 'string';
}

export function apiError(status: number, body: unknown, request: { method: string; path: string }, requestId?: string, retryAfterMs?: number): ApiError {
  const envelope: ErrorEnvelope = isEnvelope(body)
    ? body
    : { error: `HTTP_${status}`, message: `${request.method} ${request.path} answered HTTP ${status}`, code: codeForStatus(status) };
  if (status === 429 || envelope.code === 'E4004') return new RateLimitError(status, envelope, request, requestId, retryAfterMs);
  if (status >= 500) return new ServerError(status, envelope, request, requestId);
  const Cls = BY_CODE[envelope.code] ?? ApiError;
  return new Cls(status, envelope, request, requestId);
}
