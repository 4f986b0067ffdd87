// The composition root: builds every service from config and mounts every feature's routes.
// Nothing else wires dependencies; nothing else reads configuration from the environment.
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type RawServerDefault } from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Redis } from 'ioredis';
import type { Config } from './config.js';
import { openDb, type Db } from './db/index.js';
import { migrate } from './db/migrate.js';
import { systemClock, type Clock } from './kernel/clock.js';
import { installHttpKernel, nextRequestId, requestIdFrom } from './kernel/http.js';
import { installIdempotency } from './kernel/idempotency.js';
import { loadSecrets, type Secrets } from './kernel/secrets.js';
import type { Principal, Tier } from './kernel/principal.js';
import { loggerOptions } from './kernel/logging.js';
import { Events } from './events/bus.js';
import { auditEvents } from './audit/subscriber.js';
import { auditRoutes } from './audit/routes.js';
import { createMailer, type Mailer } from './mail/mailer.js';
import { devMailRoutes } from './mail/routes.js';
import { SigningKeys } from './sessions/signing.js';
import { Sessions } from './sessions/service.js';
import { CredentialResolver } from './sessions/resolver.js';
import { installAuth } from './sessions/hook.js';
import { KeyStore } from './keys/store.js';
import { KeyService } from './keys/service.js';
import { Otps } from './identity/otp.js';
import { IdentityService } from './identity/service.js';
import { identityRoutes } from './identity/routes.js';
import { CertService } from './certs/service.js';
import { certRoutes } from './certs/routes.js';
import { AgentService } from './agents/service.js';
import { agentRoutes } from './agents/routes.js';
import { keyRoutes } from './keys/routes.js';
import { PeckService } from './pecks/service.js';
import { peckRoutes } from './pecks/routes.js';
import { SsoService } from './sso/service.js';
import { ssoRoutes } from './sso/routes.js';
import { WebhookService } from './webhooks/service.js';
import { webhookRoutes } from './webhooks/routes.js';
import { PlatformService } from './platform/service.js';
import { platformRoutes } from './platform/routes.js';
import { RateLimiter } from './ratelimit/limiter.js';
import { installRateLimits } from './ratelimit/hook.js';
import { adminRoutes } from './admin/routes.js';
import { consoleRoutes } from './console/routes.js';

export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  redis: Redis | null;
  events: Events;
  mail: Mailer;
  secrets: Secrets;
  signing: SigningKeys;
  sessions: Sessions;
  keys: KeyService;
  resolver: CredentialResolver;
  otps: Otps;
  identity: IdentityService;
  certs: CertService;
  agents: AgentService;
  pecks: PeckService;
  sso: SsoService;
  webhooks: WebhookService;
  platform: PlatformService;
  ratelimit: RateLimiter;
}

export type App = FastifyInstance<RawServerDefault, IncomingMessage, ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyInstance { deps: Deps }
  interface FastifyRequest { principal?: Principal }
  interface FastifyContextConfig {
    /** `required`: 401 without a valid credential; `optional`: resolve one when presented. */
    auth?: 'required' | 'optional';
    /** Minimum trust tier of the caller (403 E4002 below it). */
    minTier?: Tier;
    /** Creates something: honour `Idempotency-Key` / body `request_id` (CONTRACT §1.6). */
    idempotent?: boolean;
    /** `false` exempts the route from rate limiting (static console files). */
    rateLimit?: false;
    /**
     * `'handler'`: the handler sets X-Request-Id itself, sparing the hook that does it for every
     * other route (error responses always set it). Only for the hottest routes: `GET /beak/`,
     * `POST /beak/pulse`.
     */
    requestIdHeader?: 'handler';
  }
}

export interface BuildOptions {
  clock?: Clock;
  /** PostgreSQL schema (tests isolate themselves in one each). */
  schema?: string;
  logger?: boolean;
  /** Run background workers (sweepers, webhook delivery). Tests drive them by hand. */
  workers?: boolean;
}

export const BODY_LIMIT = 64 * 1024;

export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<App> {
  const clock = opts.clock ?? systemClock;
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(config),
    // Below `info` nothing is logged per request, so skip the per-request child logger (a
    // measurable cost on hot routes); errors name their request id explicitly.
    childLoggerFactory: (logger, bindings, options) => {
      const pino = logger as unknown as { isLevelEnabled?: (level: string) => boolean };
      return !pino.isLevelEnabled || pino.isLevelEnabled('info') ? logger.child(bindings, options) : logger;
    },
    bodyLimit: BODY_LIMIT,
    genReqId: (req) => requestIdFrom(req.headers['x-request-id'], nextRequestId),
    requestIdHeader: false,
    trustProxy: config.trustedProxies.length ? config.trustedProxies : false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true, allowUnionTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, schema: opts.schema });
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  const redis = config.redisUrl ? new Redis(config.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false }) : null;
  if (redis) {
    redis.on('error', (err) => app.log.warn({ err: err.message }, 'redis error'));
    await redis.connect().catch((err: Error) => app.log.warn({ err: err.message }, 'redis unreachable at start; running degraded'));
  }
  const secrets = await loadSecrets(db, clock, config.masterKey);
  const signing = new SigningKeys(db, clock, secrets.dataKey, config.sessionTtlSeconds * 1000);
  await signing.init();
  const events = new Events(clock);
  const sessions = new Sessions(db, clock, signing, config.publicUrl, config.sessionTtlSeconds);
  const keys = new KeyService(new KeyStore(db), clock);

  const deps = { config, db, clock, log: app.log, redis, events, secrets, signing, sessions, keys } as Deps;
  deps.mail = createMailer({ smtpUrl: config.smtpUrl, smsWebhookUrl: config.smsWebhookUrl, from: config.mailFrom, db, clock, log: app.log });
  deps.resolver = new CredentialResolver(db, sessions, keys);
  deps.otps = new Otps(db, clock, secrets.otpPepper);
  // Services receive the whole dependency set and look collaborators up at call time,
  // so construction order never matters and no feature imports another's wiring.
  deps.certs = new CertService(deps);
  deps.identity = new IdentityService(deps);
  deps.agents = new AgentService(deps);
  deps.pecks = new PeckService(deps);
  deps.sso = new SsoService(deps);
  deps.webhooks = new WebhookService(deps);
  deps.platform = new PlatformService(deps);
  deps.ratelimit = new RateLimiter(deps);
  auditEvents(events);
  deps.webhooks.subscribe();
  app.decorate('deps', deps);

  installHttpKernel(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Space Duck API', version: config.version, description: 'Identity, trust and liveness for AI agents and their operators.' },
      servers: [{ url: config.publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Session token (JWT) or Beak Key' },
          beakKey: { type: 'apiKey', in: 'header', name: 'X-Beak-Key' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  installAuth(app);
  installRateLimits(app);
  installIdempotency(app);

  await app.register(platformRoutes);
  await app.register(auditRoutes);
  await app.register(identityRoutes);
  await app.register(certRoutes);
  await app.register(keyRoutes);
  await app.register(agentRoutes);
  await app.register(peckRoutes);
  await app.register(ssoRoutes);
  await app.register(webhookRoutes);
  await app.register(adminRoutes);
  if (config.env !== 'production') await app.register(devMailRoutes);
  await app.register(consoleRoutes);

  keys.startFlushing();
  if (opts.workers) {
    deps.agents.start();
    deps.pecks.start();
    deps.identity.start();
    deps.webhooks.start();
  }
  app.addHook('onClose', async () => {
    // Order matters: stop producing work, finish in-flight deliveries, then close stores.
    await deps.agents.stop(); // writes the pulses still waiting
    deps.pecks.stop();
    await deps.identity.stop();
    await deps.webhooks.stop();
    await keys.stop();
    await deps.ratelimit.close();
    deps.mail.close();
    if (redis) redis.disconnect();
    await db.close();
  });
  return app;
}
