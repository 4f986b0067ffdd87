// The one place that reads the environment. Everything else receives a Config.
import fs from 'node:fs';
import path from 'node:path';
import { defaultRateLimits, parseRateLimits, type RateLimitTable } from './ratelimit/table.js';

export type Env = 'development' | 'test' | 'production';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  env: Env;
  publicUrl: string;
  databaseUrl?: string;
  redisUrl?: string;
  smtpUrl?: string;
  smsWebhookUrl?: string;
  adminToken?: string;
  webhookAllowPrivate: boolean;
  publicStatus: boolean;
  ssoDomains: string[];
  /** null = rate limiting off */
  rateLimits: RateLimitTable | null;
  trustedProxies: string[];
  webhookRetrySchedule: number[];
  logLevel: string;
  sessionTtlSeconds: number;
  /** Optional key-encryption key for secrets at rest (base64/hex, ≥ 32 bytes). */
  masterKey?: string;
  mailFrom: string;
  supportEmail: string;
  version: string;
  buildId: string;
}

export class ConfigError extends Error {}

/** `--database-url=x` or `--database-url x` → DATABASE_URL; `--port` → SPACEDUCK_PORT. */
export function flagsToEnv(argv: string[], positional: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const plain = new Set(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'SMS_WEBHOOK_URL', 'LOG_LEVEL']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    let [name, value] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) { value = next; i++; } else value = 'true';
    }
    const upper = name.toUpperCase().replace(/-/g, '_');
    out[plain.has(upper) ? upper : `SPACEDUCK_${upper}`] = value;
  }
  return out;
}

const bool = (name: string, v: string | undefined, def: boolean): boolean => {
  if (v === undefined || v === '') return def;
  if (/^(1|true|yes|on)$/i.test(v)) return true;
  if (/^(0|false|no|off)$/i.test(v)) return false;
  throw new ConfigError(`${name} must be true or false, got "${v}"`);
};

const int = (name: string, v: string | undefined, def: number, min: number, max: number): number => {
  if (v === undefined || v === '') return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${v}"`);
  return n;
};

const url = (name: string, v: string | undefined, protocols: string[]): string | undefined => {
  if (!v) return undefined;
  let u: URL;
  try { u = new URL(v); } catch { throw new ConfigError(`${name} is not a valid URL`); }
  if (!protocols.includes(u.protocol)) throw new ConfigError(`${name} must use ${protocols.join(' or ')} (got ${u.protocol})`);
  return v;
};

function readVersion(): string {
  try {
    const pkg = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    return pkg.version;
  } catch { return '0.0.0'; }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = []): Config {
  const e = { ...env, ...flagsToEnv(argv) };
  const mode = (e.SPACEDUCK_ENV ?? 'development') as Env;
  if (!['development', 'test', 'production'].includes(mode)) throw new ConfigError(`SPACEDUCK_ENV must be development, test or production, got "${mode}"`);
  const port = int('SPACEDUCK_PORT', e.SPACEDUCK_PORT, 8080, 0, 65535);
  const publicUrl = url('SPACEDUCK_PUBLIC_URL', e.SPACEDUCK_PUBLIC_URL, ['http:', 'https:']) ?? `http://localhost:${port}`;
  const smtpUrl = url('SMTP_URL', e.SMTP_URL, ['smtp:', 'smtps:']);
  if (mode === 'production' && !smtpUrl) throw new ConfigError('SMTP_URL is required when SPACEDUCK_ENV=production (the development mailbox is disabled in production)');

  let rateLimits: RateLimitTable | null = defaultRateLimits();
  const rl = e.SPACEDUCK_RATE_LIMITS;
  if (rl === 'off') rateLimits = null;
  else if (rl) {
    let text: string;
    try { text = fs.readFileSync(rl, 'utf8'); } catch { throw new ConfigError(`SPACEDUCK_RATE_LIMITS: cannot read ${rl}`); }
    try { rateLimits = parseRateLimits(JSON.parse(text)); } catch (err) { throw new ConfigError(`SPACEDUCK_RATE_LIMITS: ${(err as Error).message}`); }
  }

  const schedule = (e.SPACEDUCK_WEBHOOK_RETRY_SCHEDULE ?? '5,300,1800,7200,18000,36000,36000').split(',').map((s) => Number(s.trim()));
  if (schedule.some((n) => !Number.isFinite(n) || n < 0)) throw new ConfigError('SPACEDUCK_WEBHOOK_RETRY_SCHEDULE must be comma-separated seconds');

  const list = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const masterKey = e.SPACEDUCK_MASTER_KEY || undefined;
  if (masterKey && Buffer.from(masterKey, /^[0-9a-f]+$/i.test(masterKey) ? 'hex' : 'base64').length < 32) {
    throw new ConfigError('SPACEDUCK_MASTER_KEY must encode at least 32 bytes (hex or base64)');
  }
  const version = readVersion();
  return {
    port,
    host: e.SPACEDUCK_HOST || '127.0.0.1',
    dataDir: path.resolve(e.SPACEDUCK_DATA_DIR || './data'),
    env: mode,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    databaseUrl: url('DATABASE_URL', e.DATABASE_URL, ['postgres:', 'postgresql:']),
    redisUrl: url('REDIS_URL', e.REDIS_URL, ['redis:', 'rediss:']),
    smtpUrl,
    smsWebhookUrl: url('SMS_WEBHOOK_URL', e.SMS_WEBHOOK_URL, ['http:', 'https:']),
    adminToken: e.SPACEDUCK_ADMIN_TOKEN || undefined,
    webhookAllowPrivate: bool('SPACEDUCK_WEBHOOK_ALLOW_PRIVATE', e.SPACEDUCK_WEBHOOK_ALLOW_PRIVATE, false),
    publicStatus: bool('SPACEDUCK_PUBLIC_STATUS', e.SPACEDUCK_PUBLIC_STATUS, false),
    ssoDomains: list(e.SPACEDUCK_SSO_DOMAINS).map((d) => d.toLowerCase()),
    rateLimits,
    trustedProxies: list(e.SPACEDUCK_TRUSTED_PROXIES),
    webhookRetrySchedule: schedule,
    logLevel: e.LOG_LEVEL || 'info',
    sessionTtlSeconds: int('SPACEDUCK_SESSION_TTL', e.SPACEDUCK_SESSION_TTL, 86_400, 60, 30 * 86_400),
    masterKey,
    mailFrom: e.SPACEDUCK_MAIL_FROM || 'Space Duck <no-reply@spaceduck.local>',
    supportEmail: e.SPACEDUCK_SUPPORT_EMAIL || 'support@spaceduck.local',
    version,
    buildId: e.SPACEDUCK_BUILD_ID || `spaceduck-${version}`,
  };
}
