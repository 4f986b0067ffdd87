#!/usr/bin/env node
// The `spaceduck` command: serve, migrate, admin — and the client commands (login, hatch,
// agent, pulse, key, peck, cert, webhook…) of src/client-cli, loaded only when used.
// Only config is loaded up front: the server stack costs about a second to import, which the
// client commands (a CLI a person types, or a script runs in a loop) should not pay.
import { loadConfig, flagsToEnv, ConfigError } from './config.js';

const USAGE = `Usage: spaceduck <command> [--flags]

Commands:
  serve                          start the API server (default)
  migrate                        apply database migrations and exit
  admin <command>                administration: set-tier, suspend, unsuspend, list, rotate-signing-key,
                                 purge-unverified ("spaceduck admin help")
  help                           show this message (with the client commands)

Flags mirror the environment: --port 8080, --data-dir ./data, --database-url postgres://…
`;

const CLIENT_COMMANDS = new Set(['login', 'logout', 'hatch', 'whoami', 'agent', 'pulse', 'key', 'peck', 'cert', 'webhook']);

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    const { CLIENT_USAGE } = await import('./client-cli/index.js');
    process.stdout.write(`${USAGE}\n${CLIENT_USAGE}`);
    return 0;
  }
  if (CLIENT_COMMANDS.has(command)) return (await import('./client-cli/index.js')).runClient(command, rest);
  const positional: string[] = [];
  flagsToEnv(rest, positional);
  const config = loadConfig(process.env, rest);
  switch (command) {
    case 'serve': {
      // Before the server stack loads: see tick-shapes.ts (a measured 20 % of throughput).
      (await import('./kernel/tick-shapes.js')).keepTickShapesAlive();
      const { serve } = await import('./server.js');
      await serve(config);
      return -1; // keep running
    }
    case 'migrate': {
      const { openDb } = await import('./db/index.js');
      const { migrate } = await import('./db/migrate.js');
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrate(db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally { await db.close(); }
      return 0;
    }
    case 'admin': {
      const { adminCli } = await import('./admin/cli.js');
      return adminCli(config, positional);
    }
    default:
      process.stderr.write(`spaceduck: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exit(code); }, async (err: unknown) => {
  const { StartupError } = await import('./db/index.js');
  const known = err instanceof ConfigError || err instanceof StartupError;
  process.stderr.write(`spaceduck: ${known ? (err as Error).message : (err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
