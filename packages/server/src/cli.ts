#!/usr/bin/env node
// The `spaceduck` command: serve, migrate, admin.
import { loadConfig, flagsToEnv, ConfigError } from './config.js';
import { openDb, StartupError } from './db/index.js';
import { migrate } from './db/migrate.js';
import { serve } from './server.js';
import { adminCli } from './admin/cli.js';

const USAGE = `Usage: spaceduck <command> [--flags]

Commands:
  serve                          start the API server (default)
  migrate                        apply database migrations and exit
  admin set-tier <email> <tier>  set a duckling's trust tier (T0–T3)
  help                           show this message

Flags mirror the environment: --port 8080, --data-dir ./data, --database-url postgres://…
`;

async function main(argv: string[]): Promise<number> {
  const [command = 'serve', ...rest] = argv;
  if (command === 'help' || command === '--help' || command === '-h') { process.stdout.write(USAGE); return 0; }
  const positional: string[] = [];
  flagsToEnv(rest, positional);
  const config = loadConfig(process.env, rest);
  switch (command) {
    case 'serve':
      await serve(config);
      return -1; // keep running
    case 'migrate': {
      const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      try {
        const applied = await migrate(db);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
      } finally { await db.close(); }
      return 0;
    }
    case 'admin':
      return adminCli(config, positional);
    default:
      process.stderr.write(`spaceduck: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then((code) => { if (code >= 0) process.exit(code); }, (err: unknown) => {
  const known = err instanceof ConfigError || err instanceof StartupError;
  process.stderr.write(`spaceduck: ${known ? (err as Error).message : (err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
