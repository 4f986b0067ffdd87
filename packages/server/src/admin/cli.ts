// `spaceduck admin …` — administration from the command line.
import type { Config } from '../config.js';

export async function adminCli(_config: Config, args: string[]): Promise<number> {
  process.stderr.write(`spaceduck admin: unknown subcommand "${args.join(' ')}"\n`);
  return 2;
}
