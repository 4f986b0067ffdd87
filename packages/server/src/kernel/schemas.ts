// TypeBox building blocks shared by route schemas (they validate, type and document at once).
import { Type, type TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../events/bus.js';
import { errors } from './errors.js';

export const Email = Type.String({ format: 'email', maxLength: 254, description: 'Email address (case-insensitive)' });
export const Code = Type.String({ minLength: 1, maxLength: 16, description: 'The 6-digit one-time code' });
export const Password = Type.String({ minLength: 8, maxLength: 1024 });
export const Timestamp = Type.String({ format: 'date-time' });
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Success = Type.Object({ success: Type.Literal(true), message: Type.Optional(Type.String()) }, { additionalProperties: true });

export const ErrorEnvelope = Type.Object({
  error: Type.String(), message: Type.String(), code: Type.String({ pattern: '^E\\d{4}$' }),
  details: Type.Optional(Type.Unknown()), request_id: Type.Optional(Type.String()),
}, { additionalProperties: true, $id: 'ErrorEnvelope' });

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
};

export function ctxOf(request: FastifyRequest): RequestContext {
  const ua = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof ua === 'string' ? ua : null, requestId: request.id };
}

/** `otp` or `code`, whichever the client sent (CONTRACT §1.4). */
export function codeFrom(body: { otp?: string; code?: string }): string {
  const code = body.otp ?? body.code;
  if (code === undefined) throw errors.validation('otp or code is required', [{ field: 'body.otp', message: 'is required' }]);
  return code;
}
