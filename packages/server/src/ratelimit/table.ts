// The rate-limit table of CONTRACT §9 as data. Routes are matched by their registered pattern
// (e.g. `/beak/peck/*` covers every peck route), so nothing about limits lives in handlers.

import type { Tier } from '../kernel/principal.js';

export interface TierClass {
  routes: string[];
  /** Sustained requests per window for [T0/T1, T2, T3]. The burst equals the limit. */
  perTier: [number, number, number];
  windowSeconds: number;
}

/** A per-client-IP bucket: `limit` per window sustained, `burst` = bucket size. */
export interface PublicGroup { routes: string[]; limit: number; burst: number; windowSeconds: number }

export interface RateLimitTable {
  classes: Record<string, TierClass>;
  defaultClass: TierClass;
  public: Record<string, PublicGroup>;
  /**
   * Refused credentials per client IP. Checked before the credential is, so guessing keys or
   * tokens is throttled even though each guess is answered 401 before any other limit runs.
   */
  failedCredentials: Omit<PublicGroup, 'routes'>;
}

const minute = 60;

export function defaultRateLimits(): RateLimitTable {
  const tier = (routes: string[], perTier: [number, number, number]): TierClass => ({ routes, perTier, windowSeconds: minute });
  const pub = (routes: string[], limit: number, burst: number): PublicGroup => ({ routes, limit, burst, windowSeconds: minute });
  return {
    classes: {
      auth: tier(['/beak/signup', '/beak/hatch', '/beak/signin', '/beak/auth', '/beak/login', '/beak/verify', '/beak/verify-email',
        '/beak/verify/resend', '/beak/forgot', '/beak/reset', '/beak/passkey/login'], [5, 20, 60]),
      peck: tier(['/beak/peck', '/beak/peck/*', '/beak/unpeck'], [10, 60, 300]),
      cert: tier(['/beak/cert/issue', '/beak/cert/revoke', '/beak/cert/view', '/beak/certificate', '/beak/rotate', '/beak/key/rotate'], [3, 10, 30]),
      audit: tier(['/beak/audit', '/beak/pageview', '/beak/metrics'], [30, 100, 500]),
      directory: tier(['/beak/spaceducks', '/beak/directory'], [10, 30, 120]),
      agent: tier(['/beak/pulse', '/beak/agent/*', '/beak/register', '/beak/spaceducks/register', '/beak/keys', '/beak/keys/*'], [120, 300, 1200]),
    },
    defaultClass: tier([], [60, 300, 1200]),
    public: {
      metrics: pub(['/beak/metrics'], 100, 200),
      signup: pub(['/beak/signup', '/beak/hatch'], 10, 5),
      status: pub(['/beak/system/status'], 60, 120),
      newsletter: pub(['/beak/newsletter/*'], 5, 2),
      support: pub(['/beak/support/*'], 5, 2),
      pageview: pub(['/beak/pageview'], 500, 1000),
      // Anonymous `cert/view?cert_id=` is a verification lookup too (public fields only).
      cert_verify: pub(['/beak/cert/verify', '/beak/cert', '/beak/cert/status-list', '/beak/cert/view'], 300, 300),
    },
    failedCredentials: { limit: 10, burst: 10, windowSeconds: minute },
  };
}

/** Which tier column applies (CONTRACT §1.3: T0 and T1 share the first). */
export const tierColumn = (tier: Tier | undefined): 0 | 1 | 2 => (tier === 'T3' ? 2 : tier === 'T2' ? 1 : 0);

export interface RouteLimits {
  className: string;
  tierClass: TierClass;
  groupName?: string;
  group?: PublicGroup;
}

/** `/beak/peck/*` matches `/beak/peck/approve` and `/beak/peck/:id/x`, not `/beak/peck` itself. */
const specificity = (pattern: string, url: string): number => {
  if (pattern.endsWith('/*')) return url.startsWith(pattern.slice(0, -1)) ? pattern.length - 1 : -1;
  return pattern === url ? Number.MAX_SAFE_INTEGER : -1;
};

function best<T extends { routes: string[] }>(entries: Record<string, T>, url: string): [string, T] | undefined {
  let found: [string, T] | undefined;
  let score = -1;
  for (const [name, entry] of Object.entries(entries)) {
    for (const pattern of entry.routes) {
      const s = specificity(pattern, url);
      if (s > score) { score = s; found = [name, entry]; }
    }
  }
  return found;
}

/** The class and public group of a registered route pattern (undefined: unknown route). */
export function classify(table: RateLimitTable, url: string | undefined): RouteLimits {
  const cls = url === undefined ? undefined : best(table.classes, url);
  const grp = url === undefined ? undefined : best(table.public, url);
  return {
    className: cls?.[0] ?? 'default',
    tierClass: cls?.[1] ?? table.defaultClass,
    ...(grp ? { groupName: grp[0], group: grp[1] } : {}),
  };
}

// ---- the SPACEDUCK_RATE_LIMITS override file ----

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

function onlyKeys(o: Obj, allowed: string[], where: string): void {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) throw new Error(`${where}: unknown key "${k}" (expected ${allowed.join(', ')})`);
}

function posInt(n: unknown, what: string): number {
  if (!Number.isInteger(n) || (n as number) < 1) throw new Error(`${what} must be a positive integer`);
  return n as number;
}

function routes(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((r) => typeof r !== 'string' || !r.startsWith('/'))) throw new Error(`${what} must be an array of route patterns starting with "/"`);
  return v as string[];
}

function mergeTier(name: string, cur: TierClass | undefined, o: unknown): TierClass {
  if (!isObj(o)) throw new Error(`${name} must be an object`);
  onlyKeys(o, ['routes', 'perTier', 'windowSeconds'], name);
  const perTier = o.perTier ?? cur?.perTier;
  if (!Array.isArray(perTier) || perTier.length !== 3) throw new Error(`${name}.perTier must be [t1, t2, t3]`);
  perTier.forEach((n, i) => posInt(n, `${name}.perTier[${i}]`));
  return {
    routes: o.routes === undefined ? cur?.routes ?? [] : routes(o.routes, `${name}.routes`),
    perTier: [...perTier] as [number, number, number],
    windowSeconds: posInt(o.windowSeconds ?? cur?.windowSeconds ?? minute, `${name}.windowSeconds`),
  };
}

function mergeGroup(name: string, cur: Omit<PublicGroup, 'routes'> & { routes?: string[] } | undefined, o: unknown, withRoutes: boolean) {
  if (!isObj(o)) throw new Error(`${name} must be an object`);
  onlyKeys(o, withRoutes ? ['routes', 'limit', 'burst', 'windowSeconds'] : ['limit', 'burst', 'windowSeconds'], name);
  const limit = posInt(o.limit ?? cur?.limit, `${name}.limit`);
  return {
    routes: o.routes === undefined ? cur?.routes ?? [] : routes(o.routes, `${name}.routes`),
    limit,
    // A new group without a burst gets a bucket as big as its limit, like the tier classes.
    burst: posInt(o.burst ?? cur?.burst ?? limit, `${name}.burst`),
    windowSeconds: posInt(o.windowSeconds ?? cur?.windowSeconds ?? minute, `${name}.windowSeconds`),
  };
}

/** Names appear in the RateLimit fields as Structured Field strings and in Redis keys. */
function assertName(name: string, what: string): void {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`${what}: "${name}" is not a valid name (letters, digits, _ . -)`);
}

/** One route pattern in two classes (or two groups) would make the table ambiguous. */
function assertUnambiguous(entries: Record<string, { routes: string[] }>, what: string): void {
  const owner = new Map<string, string>();
  for (const [name, e] of Object.entries(entries)) {
    for (const r of e.routes) {
      const prev = owner.get(r);
      if (prev && prev !== name) throw new Error(`route ${r} is in both ${what}.${prev} and ${what}.${name}; remove it from one`);
      owner.set(r, name);
    }
  }
}

/**
 * Overrides merge onto the defaults entry by entry, so a file may change just one limit:
 * `{ "classes": { "peck": { "perTier": [20, 60, 300] } }, "public": { "signup": { "burst": 10 } } }`.
 * New classes and groups may be added (with their `routes`); unknown keys are an error, so a
 * typo cannot silently leave the defaults in force.
 */
export function parseRateLimits(input: unknown): RateLimitTable {
  const base = defaultRateLimits();
  if (!isObj(input)) throw new Error('expected a JSON object');
  onlyKeys(input, ['$schema', 'classes', 'defaultClass', 'public', 'failedCredentials'], 'the file');
  for (const [key, what] of [['classes', 'classes'], ['public', 'public']] as const) {
    if (input[key] !== undefined && !isObj(input[key])) throw new Error(`${what} must be an object`);
  }
  for (const [name, c] of Object.entries((input.classes ?? {}) as Obj)) {
    if (name === 'default') throw new Error('classes.default: use "defaultClass"');
    assertName(name, 'classes');
    base.classes[name] = mergeTier(`classes.${name}`, base.classes[name], c);
  }
  if (input.defaultClass !== undefined) {
    base.defaultClass = mergeTier('defaultClass', base.defaultClass, input.defaultClass);
    if (base.defaultClass.routes.length) throw new Error('defaultClass.routes: the default class applies to routes in no other class');
  }
  for (const [name, g] of Object.entries((input.public ?? {}) as Obj)) {
    assertName(name, 'public');
    base.public[name] = mergeGroup(`public.${name}`, base.public[name], g, true);
  }
  if (input.failedCredentials !== undefined) {
    const { routes: _r, ...rest } = mergeGroup('failedCredentials', base.failedCredentials, input.failedCredentials, false);
    base.failedCredentials = rest;
  }
  assertUnambiguous(base.classes, 'classes');
  assertUnambiguous(base.public, 'public');
  return base;
}
