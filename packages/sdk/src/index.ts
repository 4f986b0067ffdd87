// @spaceduck/sdk — the browser-safe core: fetch and WebCrypto only, no Node built-ins.
// Node-only helpers (the credentials file, the webhook listener) live in '@spaceduck/sdk/node'.
export { SpaceDuck, type SpaceDuckOptions } from './client.js';
export { Transport, backoffDelay, parseRetryAfter, type FetchLike, type RequestOptions, type RetryInfo, type TransportOptions } from './http.js';
export {
  SpaceDuckError, ApiError, ValidationError, AuthenticationError, TrustTierError, AlreadyExistsError, OtpError, ForbiddenError,
  NotFoundError, ConflictError, RateLimitError, ServerError, NetworkError, TimeoutError, WebhookVerificationError,
  type ErrorCode, type ErrorEnvelope,
} from './errors.js';
export { verifyCertificate, verifyJws, decodeStatusList, statusBit, type CertificateVerification, type VerifyCertificateOptions } from './certificates.js';
export { verifyWebhook, type WebhookEvent, type HeaderSource, type VerifyWebhookOptions } from './webhooks.js';
export type { PulseHandle, PulseMeta, StartPulseOptions } from './pulse.js';
export type * from './types.js';

export const SDK_VERSION = '0.1.0';
