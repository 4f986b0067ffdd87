// Applies each route's `config.auth` / `config.minTier`. Runs after body parsing, because a
// Beak Key may arrive in the JSON body (CONTRACT §1.2). Attached only to routes that ask for it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { AppError, errors } from '../kernel/errors.js';
import { addRouteHook, renderError } from '../kernel/http.js';
import { tierAtLeast } from '../kernel/principal.js';

export function installAuth(app: App): void {
  const authenticate = async (request: FastifyRequest, reply: FastifyReply) => {
    const { auth, minTier } = request.routeOptions.config;
    try {
      request.principal = await app.deps.resolver.resolve(request);
      if (auth === 'required' && !request.principal) throw errors.unauthorized('Invalid or missing credentials');
      if (minTier && request.principal && !tierAtLeast(request.principal.tier, minTier)) throw errors.tier(minTier);
    } catch (err) {
      if (err instanceof AppError) return renderError(reply, request, err);
      throw err;
    }
  };
  app.addHook('onRoute', (route) => {
    const auth = (route.config as { auth?: string } | undefined)?.auth;
    if (!auth) return;
    if (route.schema) {
      const security = [{ bearer: [] }, { beakKey: [] }];
      route.schema = { ...route.schema, security: auth === 'optional' ? [...security, {}] : security } as typeof route.schema;
    }
    addRouteHook(route, 'preValidation', authenticate);
  });
}
