// The rate-limit table of CONTRACT §9 as data. Routes are matched by their registered pattern
// (e.g. `/beak/peck/*` covers every peck route), so nothing about limits lives in handlers.

export interface Bucket { limit: number; burst: number; windowSeconds: number }

export interface TierClass {
  routes: string[];
  /** Sustained requests per window for [T0/T1, T2, T3]. The burst equals the limit. */
  perTier: [number, number, number];
  windowSeconds: number;
}

export interface PublicGroup { routes: string[]; limit: number; burst: number; windowSeconds: number }

export interface RateLimitTable {
  classes: Record<string, TierClass>;
  defaultClass: TierClass;
  public: Record<string, PublicGroup>;
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
      agent: tier(['/beak/pulse', '/beak/agent/*', '/beak/keys', '/beak/keys/*'], [120, 300, 1200]),
    },
    defaultClass: tier([], [60, 300, 1200]),
    public: {
      metrics: pub(['/beak/metrics'], 100, 200),
      signup: pub(['/beak/signup', '/beak/hatch'], 10, 5),
      status: pub(['/beak/system/status'], 60, 120),
      newsletter: pub(['/beak/newsletter/*'], 5, 2),
      support: pub(['/beak/support/*'], 5, 2),
      pageview: pub(['/beak/pageview'], 500, 1000),
      cert_verify: pub(['/beak/cert/verify', '/beak/cert'], 300, 300),
    },
  };
}

/** Overrides merge onto the defaults class by class, so a file may change just one limit. */
export function parseRateLimits(input: unknown): RateLimitTable {
  const base = defaultRateLimits();
  if (!input || typeof input !== 'object') throw new Error('expected a JSON object');
  const o = input as Partial<{ classes: Record<string, Partial<TierClass>>; defaultClass: Partial<TierClass>; public: Record<string, Partial<PublicGroup>> }>;
  const posInt = (n: unknown, what: string) => {
    if (!Number.isInteger(n) || (n as number) < 1) throw new Error(`${what} must be a positive integer`);
    return n as number;
  };
  const mergeTier = (name: string, cur: TierClass | undefined, o2: Partial<TierClass>): TierClass => {
    const perTier = o2.perTier ?? cur?.perTier;
    if (!Array.isArray(perTier) || perTier.length !== 3) throw new Error(`classes.${name}.perTier must be [t1, t2, t3]`);
    perTier.forEach((n, i) => posInt(n, `classes.${name}.perTier[${i}]`));
    return { routes: o2.routes ?? cur?.routes ?? [], perTier: perTier as [number, number, number], windowSeconds: posInt(o2.windowSeconds ?? cur?.windowSeconds ?? minute, `classes.${name}.windowSeconds`) };
  };
  for (const [name, c] of Object.entries(o.classes ?? {})) base.classes[name] = mergeTier(name, base.classes[name], c);
  if (o.defaultClass) base.defaultClass = mergeTier('default', base.defaultClass, o.defaultClass);
  for (const [name, g] of Object.entries(o.public ?? {})) {
    const cur = base.public[name];
    base.public[name] = {
      routes: g.routes ?? cur?.routes ?? [],
      limit: posInt(g.limit ?? cur?.limit, `public.${name}.limit`),
      burst: posInt(g.burst ?? cur?.burst, `public.${name}.burst`),
      windowSeconds: posInt(g.windowSeconds ?? cur?.windowSeconds ?? minute, `public.${name}.windowSeconds`),
    };
  }
  return base;
}
