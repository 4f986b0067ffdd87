// When in-memory answers about certificates (verification results, the built status list) must
// be dropped. A change made by this node drops them at once. A change made elsewhere — another
// node on the same PostgreSQL, or the admin CLI on the same SQLite file — is noticed by
// re-reading a fingerprint of the status-slot table, at most every RECHECK_MS and only while
// someone is asking.
import type { Clock } from '../kernel/clock.js';
import type { CertStore, ListFingerprint } from './store.js';

export const RECHECK_MS = 250;

/** `deaths`: a certificate stopped being valid. `growth`: a slot was taken beyond the list's end. */
export type CertChange = 'deaths' | 'growth';

export class CertFreshness {
  /** Bumped by every change: a cache fill that started under an older generation is discarded. */
  generation = 0;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private seen: ListFingerprint | null = null;
  private checking: Promise<void> | null = null;

  constructor(private readonly store: CertStore, private readonly clock: Clock, private readonly onChange: (what: CertChange) => void) {}

  changed(what: CertChange): void {
    this.generation++;
    this.onChange(what);
  }

  /** null when the caches were confirmed less than RECHECK_MS ago; else a promise to await first. */
  check(): Promise<void> | null {
    if (this.clock.now() - this.checkedAt < RECHECK_MS) return null;
    this.checking ??= this.poll().finally(() => { this.checking = null; });
    return this.checking;
  }

  private async poll(): Promise<void> {
    const startedAt = this.clock.now();
    const fp = await this.store.listFingerprint();
    const prev = this.seen;
    this.seen = fp;
    // Both numbers only grow (slots are never freed, bits never cleared), so equal means unchanged.
    if (prev && fp.dead !== prev.dead) this.changed('deaths');
    else if (prev && fp.maxIndex !== prev.maxIndex) this.changed('growth');
    this.checkedAt = startedAt;
  }
}
