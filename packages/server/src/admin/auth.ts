// The administrator credential: `Authorization: Bearer <SPACEDUCK_ADMIN_TOKEN>`, compared in
// constant time. Without the variable the administration API does not exist.
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { safeEqual } from '../kernel/crypto.js';

export function bearerOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth !== 'string') return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(auth)?.[1];
}

export function isAdmin(request: FastifyRequest, config: Config): boolean {
  if (!config.adminToken) return false;
  const presented = bearerOf(request);
  // safeEqual compares fixed-length digests, so neither content nor length leaks through timing.
  return presented !== undefined && safeEqual(presented, config.adminToken);
}
