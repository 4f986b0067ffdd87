// The duckling's own record: profile, profile updates, display-name changes (once per 30 days,
// unique case-insensitively) and the account status of CONTRACT §2 with its privacy rule.
import type { Deps } from '../app.js';
import type { RequestContext, Tx } from '../events/bus.js';
import { iso } from '../kernel/clock.js';
import { errors } from '../kernel/errors.js';
import type { Principal } from '../kernel/principal.js';
import { LIVENESS_WINDOW_MS } from '../platform/service.js';
import { cleanDisplayName, nameKey, normalizeEmail } from './names.js';
import type { DucklingStore } from './store.js';
import type { DucklingRow } from './schema.js';

export const NAME_CHANGE_INTERVAL_MS = 30 * 86_400_000;

export interface ProfileUpdate { display_name?: string; bio?: string | null; directory_visible?: boolean }

/** Who asks for an account status: an administrator, a principal, or nobody. */
export interface StatusViewer { admin: boolean; principal?: Principal }

export class ProfileService {
  constructor(private readonly d: Deps, private readonly store: DucklingStore) {}

  async profile(ducklingId: string) {
    const row = await this.store.byId(ducklingId);
    if (!row) throw errors.unauthorized();
    return this.view(row);
  }

  private async view(row: DucklingRow, tx?: Tx) {
    const cert = await this.d.certs.current(row.id, tx);
    return {
      duckling_id: row.id, email: row.email, display_name: row.display_name, bio: row.bio, trust_tier: row.trust_tier,
      cert_id: cert?.id ?? null, cert_status: cert?.status ?? 'none', egg_count: await this.store.agentCount(row.id),
      email_verified: !!row.email_verified, phone: row.phone, phone_verified: !!row.phone_verified,
      directory_visible: !!row.directory_visible, name_changed_at: iso(row.name_changed_at),
      next_name_change_at: row.name_changed_at == null ? null : iso(row.name_changed_at + NAME_CHANGE_INTERVAL_MS),
      created_at: iso(row.created_at)!,
    };
  }

  async update(ducklingId: string, input: ProfileUpdate, ctx: RequestContext) {
    const name = input.display_name !== undefined ? cleanDisplayName(input.display_name) : undefined;
    const bio = input.bio === undefined ? undefined : input.bio === null ? null : input.bio.normalize('NFC').trim() || null;
    if (bio && [...bio].length > 280) throw errors.validation('bio must be at most 280 characters', [{ field: 'body.bio', message: 'must be at most 280 characters' }]);
    await this.d.db.kysely.transaction().execute(async (tx) => {
      const row = await this.store.byId(ducklingId, tx);
      if (!row) throw errors.unauthorized();
      if (name !== undefined) await this.rename(tx, row, name, ctx);
      const patch: Partial<DucklingRow> = {};
      if (bio !== undefined && bio !== row.bio) patch.bio = bio;
      if (input.directory_visible !== undefined && Number(input.directory_visible) !== row.directory_visible) patch.directory_visible = input.directory_visible ? 1 : 0;
      if (Object.keys(patch).length) {
        await this.store.update(tx, row.id, { ...patch, updated_at: this.d.clock.now() });
        await this.d.events.record(tx, {
          type: 'profile.updated', ducklingId: row.id, actorId: row.id, subjectId: row.id, ctx,
          data: { fields: Object.keys(patch), ...(patch.directory_visible !== undefined ? { directory_visible: !!patch.directory_visible } : {}) },
        });
      }
    }).catch(nameConflict);
    return this.profile(ducklingId);
  }

  async changeName(ducklingId: string, raw: string, ctx: RequestContext) {
    const name = cleanDisplayName(raw, 'new_display_name');
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      const row = await this.store.byId(ducklingId, tx);
      if (!row) throw errors.unauthorized();
      const changedAt = await this.rename(tx, row, name, ctx);
      return { previous: row.display_name, changedAt };
    }).catch(nameConflict);
    return {
      success: true as const, message: out.changedAt == null ? 'Display name unchanged' : 'Display name changed',
      duckling_id: ducklingId, display_name: name, previous_display_name: out.previous,
      next_name_change_at: out.changedAt == null ? null : iso(out.changedAt + NAME_CHANGE_INTERVAL_MS),
    };
  }

  /**
   * The one place a display name changes. Returns when it changed (null: same name, nothing to
   * do). The certificate attests the display name, so a valid one is re-issued with the new name.
   */
  private async rename(tx: Tx, row: DucklingRow, name: string, ctx: RequestContext): Promise<number | null> {
    if (name === row.display_name) return null;
    const now = this.d.clock.now();
    if (row.name_changed_at != null && now - row.name_changed_at < NAME_CHANGE_INTERVAL_MS) {
      throw errors.rateLimited((row.name_changed_at + NAME_CHANGE_INTERVAL_MS - now) / 1000, 'The display name can be changed once every 30 days');
    }
    const key = nameKey(name);
    if (await this.store.nameTaken(key, tx, row.id)) throw errors.exists('This display name is taken');
    if (!(await this.store.rename(tx, row.id, name, key, now, now - NAME_CHANGE_INTERVAL_MS))) {
      throw errors.rateLimited(NAME_CHANGE_INTERVAL_MS / 1000, 'The display name can be changed once every 30 days');
    }
    await this.d.events.record(tx, {
      type: 'profile.name_changed', ducklingId: row.id, actorId: row.id, subjectId: row.id, ctx,
      data: { previous_display_name: row.display_name, display_name: name },
    });
    const cert = await this.d.certs.current(row.id, tx);
    if (cert?.status === 'valid') await this.d.certs.issue(tx, { id: row.id, display_name: name, trust_tier: row.trust_tier }, ctx);
    return now;
  }

  /**
   * Account status. The owner (or an agent of it) and administrators see everything; anyone
   * else sees `status: "unknown"` — unless the operator opted into public status.
   */
  async status(viewer: StatusViewer, by: { email: string } | { duckling_id: string }) {
    const ref: { email: string } | { duckling_id: string } = 'email' in by ? { email: normalizeEmail(by.email) } : { duckling_id: by.duckling_id };
    const open = viewer.admin || this.d.config.publicStatus;
    // Anonymous callers get the same answer for every address without touching the database.
    if (!open && !viewer.principal) return { ...ref, status: 'unknown' };
    const row = 'email' in ref ? await this.store.byEmail(ref.email) : await this.store.byId(ref.duckling_id);
    const allowed = open || (row && row.id === viewer.principal?.ducklingId);
    if (!allowed) return { ...ref, status: 'unknown' };
    if (!row) return { ...ref, status: 'not_found' };
    const cert = await this.d.certs.current(row.id);
    return {
      email: row.email, duckling_id: row.id,
      status: row.status === 'suspended' ? 'suspended' : row.email_verified ? 'active' : 'pending',
      email_verified: !!row.email_verified, phone_verified: !!row.phone_verified, trust_tier: row.trust_tier,
      cert_status: cert?.status ?? 'none', connected_agents: await this.store.agentCount(row.id),
      liveness_verified: await this.store.aliveSince(row.id, this.d.clock.now() - LIVENESS_WINDOW_MS),
    };
  }
}

/** Two renames racing for one name: the unique index decides, and the loser gets 409. */
function nameConflict(err: unknown): never {
  const msg = String((err as Error)?.message ?? '');
  if ((err as { code?: string }).code === '23505' || /UNIQUE constraint failed/.test(msg)) throw errors.exists('This display name is taken');
  throw err;
}
