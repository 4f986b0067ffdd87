// A small argv parser for the client commands: positionals, `--flag value`, `--flag=value`,
// repeatable flags, and booleans declared per command (so `--json` never swallows an argument).

export class UsageError extends Error {}

export interface Parsed {
  positional: string[];
  flags: Map<string, string[]>;
}

/** Flags that never take a value, whatever the command. */
const GLOBAL_BOOLEANS = ['json', 'help', 'quiet'];

export function parseArgs(argv: string[], booleans: string[] = []): Parsed {
  const bools = new Set([...GLOBAL_BOOLEANS, ...booleans]);
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (k: string, v: string) => flags.set(k, [...(flags.get(k) ?? []), v]);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (a === '-h') { add('help', 'true'); continue; }
    if (!a.startsWith('--') || a === '--') { positional.push(a); continue; }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    if (eq >= 0) { add(name, a.slice(eq + 1)); continue; }
    if (bools.has(name)) { add(name, 'true'); continue; }
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('--') && next.length > 2)) throw new UsageError(`--${name} needs a value`);
    add(name, next);
    i++;
  }
  return { positional, flags };
}

export class Args {
  constructor(private readonly p: Parsed, private readonly known: Set<string>) {
    for (const k of p.flags.keys()) {
      if (!known.has(k)) throw new UsageError(`unknown option --${k}`);
    }
  }

  get positional(): string[] { return this.p.positional; }
  str(name: string): string | undefined { const v = this.p.flags.get(name); return v?.[v.length - 1]; }
  all(name: string): string[] { return this.p.flags.get(name) ?? []; }
  bool(name: string): boolean { const v = this.str(name); return v !== undefined && !/^(false|0|no)$/i.test(v); }

  int(name: string, min: number, max: number): number | undefined {
    const v = this.str(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
    return n;
  }

  /** The nth positional, or a usage error naming it. */
  need(index: number, what: string): string {
    const v = this.p.positional[index];
    if (v === undefined || v === '') throw new UsageError(`missing ${what}`);
    return v;
  }
}

export const GLOBAL_FLAGS = ['json', 'help', 'quiet', 'url', 'profile'];
