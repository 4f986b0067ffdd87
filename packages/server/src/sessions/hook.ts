// Applies each route's `config.auth` / `config.minTier`. Runs after body parsing, because a
// Beak Key may arrive in the JSON body (CONTRACT §1.2).
import type { App } from '../app.js';
import { errors } from '../kernel/errors.js';
import { renderError } from '../kernel/http.js';
import { AppError } from '../kernel/errors.js';
import { tierAtLeast } from '../kernel/principal.js';

export function installAuth(app: App): void {
  app.addHook('onRoute', (route) => {
    const auth = (route.config as { auth?: string } | undefined)?.auth;
    if (auth && route.schema) {
      const security = [{ bearer: [] }, { beakKey: [] }];
      route.schema = { ...route.schema, security: auth === 'optional' ? [...security, {}] : security } as typeof route.schema;
    }
  });
  app.addHook('preValidation', async (request, reply) => {
    const { auth, minTier } = request.routeOptions.config;
    if (!auth) return;
    try {
      request.principal = await app.deps.resolver.resolve(request);
      if (auth === 'required' && !request.principal) throw errors.unauthorized('Invalid or missing credentials');
      if (minTier && request.principal && !tierAtLeast(request.principal.tier, minTier)) throw errors.tier(minTier);
    } catch (err) {
      if (err instanceof AppError) return renderError(reply, request, err);
      throw err;
    }
  });
}
