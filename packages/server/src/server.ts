// Runs the platform: build, listen, and shut down gracefully on SIGTERM/SIGINT.
import type { Config } from './config.js';
import { buildApp, type App } from './app.js';
import { keepTickShapesAlive } from './kernel/tick-shapes.js';

export async function serve(config: Config): Promise<App> {
  const app = await buildApp(config, { workers: true });
  await app.listen({ port: config.port, host: config.host });
  keepTickShapesAlive(); // again, in case start-up generalised the shape (see tick-shapes.ts)
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  app.log.info({ port, host: config.host, database: app.deps.db.dialect, redis: !!config.redisUrl, env: config.env },
    `Space Duck listening on http://${config.host}:${port} (docs at /docs)`);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: no new connections, finishing in-flight work');
    const force = setTimeout(() => { app.log.error('shutdown timed out; exiting'); process.exit(1); }, 20_000);
    force.unref();
    app.close().then(() => process.exit(0), (err) => { app.log.error({ err }, 'error during shutdown'); process.exit(1); });
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  return app;
}
