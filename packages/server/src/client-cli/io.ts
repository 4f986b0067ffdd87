// Terminal I/O for the client commands: results (human or `--json`), prompts (hidden for
// secrets on a terminal, plain lines from a pipe), progress on stderr, and errors that say what
// to do next.
import readline from 'node:readline';
import { ApiError, NetworkError, RateLimitError, TimeoutError, type RetryInfo } from '@spaceduck/sdk';
import { UsageError } from './args.js';

export class Io {
  private lines: AsyncIterator<string> | undefined;
  private rl: readline.Interface | undefined;

  constructor(readonly json: boolean, readonly quiet = false) {}

  /** A result: pretty text for people, one JSON document for scripts. */
  result(value: unknown, human: () => string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
  }

  /** One line of a stream (pulses, webhook events): NDJSON with --json. */
  event(value: unknown, human: string): void {
    process.stdout.write(this.json ? `${JSON.stringify(value)}\n` : `${human}\n`);
  }

  /** Progress and notices go to stderr, so stdout stays parseable. */
  note(message: string): void {
    if (!this.quiet) process.stderr.write(`${message}\n`);
  }

  onRetry = (r: RetryInfo): void => {
    const why = typeof r.reason === 'number' ? `HTTP ${r.reason}` : r.reason.message;
    this.note(`… ${r.method} ${r.path}: ${why}; retrying in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt + 1})`);
  };

  /** Runs `work` with a spinner on an interactive stderr; silent otherwise. */
  async progress<T>(label: string, work: () => Promise<T>): Promise<T> {
    if (!process.stderr.isTTY || this.quiet) return work();
    const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    let i = 0;
    const timer = setInterval(() => process.stderr.write(`\r${frames[i++ % frames.length]} ${label}`), 80);
    try { return await work(); } finally {
      clearInterval(timer);
      process.stderr.write(`\r${' '.repeat(label.length + 2)}\r`);
    }
  }

  /** Asks for a value; `hidden` does not echo on a terminal. Reads lines from stdin when piped. */
  async ask(question: string, { hidden = false } = {}): Promise<string> {
    if (process.stdin.isTTY && hidden) return this.askHidden(question);
    process.stderr.write(question);
    if (!this.lines) {
      this.rl = readline.createInterface({ input: process.stdin, terminal: false });
      this.lines = this.rl[Symbol.asyncIterator]();
    }
    const next = await this.lines.next();
    if (next.done) throw new UsageError(`no answer to "${question.trim()}" (stdin closed)`);
    return next.value.trim();
  }

  private askHidden(question: string): Promise<string> {
    return new Promise((resolve, reject) => {
      process.stderr.write(question);
      const stdin = process.stdin;
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') { done(); process.stderr.write('\n'); return resolve(value); }
          if (ch === '\u0003') { done(); return reject(new UsageError('cancelled')); }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1); else value += ch;
        }
      };
      const done = () => { stdin.off('data', onData); stdin.setRawMode(false); stdin.pause(); };
      stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onData);
    });
  }

  close(): void { this.rl?.close(); }
}

const HINTS: Record<string, string> = {
  E4001: 'Sign in with `spaceduck login` (or set SPACEDUCK_BEAK_KEY).',
  E4002: 'Your trust tier is too low for this: verify your email first (`spaceduck hatch`).',
  E4005: 'Check the code and try again; after 5 wrong tries request a new one.',
  E4006: 'The code or request has expired: start again.',
};

/** Prints an error the way a person (or, with --json, a script) can act on; returns the exit code. */
export function reportError(err: unknown, io: Io | undefined, baseUrl?: string, command?: string): number {
  const json = io?.json ?? false;
  if (err instanceof UsageError) {
    process.stderr.write(json ? `${JSON.stringify({ error: { code: 'USAGE', message: err.message } })}\n` : `spaceduck: ${err.message}\nRun \`spaceduck help\` for usage.\n`);
    return 2;
  }
  if (err instanceof ApiError) {
    const wait = err instanceof RateLimitError && err.retryAfterMs !== undefined ? ` Try again in ${Math.ceil(err.retryAfterMs / 1000)} s.` : '';
    if (json) {
      process.stderr.write(`${JSON.stringify({ error: { status: err.status, code: err.code, error: err.error, message: err.message, details: err.details, request_id: err.requestId } })}\n`);
    } else {
      const details = Array.isArray(err.details) ? err.details.map((d: { field?: string; message?: string }) => `\n  - ${d.field}: ${d.message}`).join('') : '';
      const hintText = command === 'login' && err.code === 'E4001' ? 'Check the email and password (or use --code for an emailed code).' : HINTS[err.code];
      const hint = hintText ? `\n${hintText}` : '';
      process.stderr.write(`spaceduck: ${err.message} (${err.code}${err.requestId ? `, request ${err.requestId}` : ''})${details}${wait ? `\n${wait.trim()}` : ''}${hint}\n`);
    }
    return 1;
  }
  if (err instanceof NetworkError || err instanceof TimeoutError) {
    const msg = `${err.message}. Is the server running at ${baseUrl ?? 'the configured URL'}? Set --url or SPACEDUCK_URL.`;
    process.stderr.write(json ? `${JSON.stringify({ error: { code: err.name, message: msg } })}\n` : `spaceduck: ${msg}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(json ? `${JSON.stringify({ error: { code: 'ERROR', message } })}\n` : `spaceduck: ${message}\n`);
  return 1;
}

/** Aligned `key  value` lines. */
export function table(rows: Array<[string, unknown]>): string {
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${k.padEnd(width)}  ${v === null ? '—' : String(v)}`).join('\n');
}

/** Columns for lists. */
export function columns(head: string[], rows: unknown[][]): string {
  const cells = [head, ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '—' : String(c))))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}
