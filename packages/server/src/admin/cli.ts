// `spaceduck admin …` — administration from the command line, against the configured database
// (the same one the servers use, so a change is seen by every node at once). Prints JSON.
import { buildApp, type BuildOptions } from '../app.js';
import type { Config } from '../config.js';
import { AppError } from '../kernel/errors.js';
import type { Tier } from '../kernel/principal.js';
import { AdminService } from './service.js';
import { FOREIGN_CHECK_MS } from '../db/watched-cache.js';

export const ADMIN_USAGE = `Usage: spaceduck admin <command>

  set-tier <email> <T1|T2|T3>   set a duckling's trust tier (re-issues its certificate)
  suspend <email> [reason]      suspend an account (sessions revoked, keys refused)
  unsuspend <email>             lift a suspension
  list [search]                 list ducklings (newest first, up to 100)
  rotate-signing-key            new token signing key (old tokens stay valid until they expire)
  purge-unverified              delete accounts not verified within 24 hours
`;

const CTX = { ip: null, userAgent: 'spaceduck-cli' };

export interface CliIo { out(s: string): void; err(s: string): void }
const stdio: CliIo = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Exit status: 0 done, 1 refused (unknown account, bad state), 2 usage error. */
export async function adminCli(config: Config, args: string[], opts: BuildOptions = {}, io: CliIo = stdio): Promise<number> {
  const [command, ...rest] = args;
  const usage = (why?: string) => { io.err(`${why ? `spaceduck admin: ${why}\n\n` : ''}${ADMIN_USAGE}`); return 2; };
  const arity: Record<string, [number, number]> = {
    'set-tier': [2, 2], suspend: [1, 2], unsuspend: [1, 1], list: [0, 1], 'rotate-signing-key': [0, 0], 'purge-unverified': [0, 0],
  };
  if (!command || command === 'help') return usage();
  const range = arity[command];
  if (!range) return usage(`unknown command "${command}"`);
  if (rest.length < range[0] || rest.length > range[1]) return usage(`wrong arguments for ${command}`);
  if (command === 'set-tier' && !/^T[123]$/.test(rest[1]!.toUpperCase())) return usage('tier must be T1, T2 or T3');

  const app = await buildApp(config, { logger: false, ...opts, workers: false });
  const svc = new AdminService(app.deps);
  try {
    let result: unknown;
    switch (command) {
      case 'set-tier': result = await svc.setTier({ email: rest[0]! }, rest[1]!.toUpperCase() as Tier, CTX); break;
      case 'suspend': result = await svc.setSuspended({ email: rest[0]! }, true, rest[1] ?? null, CTX); break;
      case 'unsuspend': result = await svc.setSuspended({ email: rest[0]! }, false, null, CTX); break;
      case 'list': result = await svc.ducklings({ q: rest[0], limit: 100 }); break;
      case 'rotate-signing-key': result = await svc.rotateSigningKey(CTX); break;
      case 'purge-unverified': result = await svc.purgeUnverified(); break;
    }
    // A server on the same SQLite file notices another process's writes within FOREIGN_CHECK_MS
    // (db/watched-cache.ts). Waiting that long here means that once this command returns, every
    // server refuses what it revoked — a script may check at once. PostgreSQL nodes keep no copy.
    if (command !== 'list' && app.deps.db.dialect === 'sqlite') await new Promise((r) => setTimeout(r, FOREIGN_CHECK_MS + 5));
    io.out(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    io.err(`spaceduck admin ${command}: ${err.message}\n`);
    return 1;
  } finally {
    await app.close();
  }
}
