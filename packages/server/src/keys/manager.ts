// The Key Manager and rotation (CONTRACT §3): list, mint and revoke the keys of a duckling and
// its agents, and rotate a key with the exact which-key rules of the contract. Every change is
// an event (hence an audit entry) recorded in the same transaction; the key itself never is.
import type { Deps } from '../app.js';
import type { RequestContext } from '../events/bus.js';
import type { AgentRow } from '../agents/schema.js';
import { iso } from '../kernel/clock.js';
import { errors } from '../kernel/errors.js';
import { clampLimit, decodeCursor, page } from '../kernel/pagination.js';
import type { Principal } from '../kernel/principal.js';
import type { BeakKeyRow } from './schema.js';
import { DEFAULT_KEY_DAYS } from './service.js';
import type { KeyStatusFilter } from './store.js';

const DAY = 86_400_000;
/** Live keys one owner may hold at once; rotation replaces rather than adds, so only minting counts. */
export const MAX_ACTIVE_KEYS = 25;

export interface RotateInput {
  duckling_id?: string; spaceduck_id?: string; agent_id?: string; grace_seconds?: number; expires_in_days?: number;
}

interface Owner { type: 'duckling' | 'agent'; id: string; ducklingId: string }

export class KeyManager {
  constructor(private readonly d: Deps) {}

  async list(p: Principal, q: { limit?: number; cursor?: string; owner_id?: string; status?: KeyStatusFilter }) {
    this.operatorOnly(p);
    const limit = clampLimit(q.limit);
    const rows = await this.d.keys.store.list(p.ducklingId, {
      ownerId: q.owner_id, status: q.status, before: decodeCursor(q.cursor), limit: limit + 1, now: this.d.clock.now(),
    });
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { keys: items.map((r) => this.view(r)), next_cursor };
  }

  async create(p: Principal, input: { name?: string; agent_id?: string; expires_in_days?: number }, ctx: RequestContext) {
    this.operatorOnly(p);
    const owner: Owner = input.agent_id
      ? this.agentOwner(this.live(await this.ownedAgent(p, input.agent_id)))
      : { type: 'duckling', id: p.ducklingId, ducklingId: p.ducklingId };
    const { row, beakKey } = await this.d.db.kysely.transaction().execute(async (tx) => {
      if (await this.d.keys.store.countActive(tx, owner.id, this.d.clock.now()) >= MAX_ACTIVE_KEYS) {
        throw errors.conflict(`At most ${MAX_ACTIVE_KEYS} active Beak Keys per owner; revoke one first`);
      }
      const issued = await this.d.keys.issue(tx, {
        ownerType: owner.type, ownerId: owner.id, ducklingId: owner.ducklingId, name: input.name?.trim() || null, expiresInDays: input.expires_in_days,
      });
      await this.d.events.record(tx, {
        type: 'key.created', ducklingId: owner.ducklingId, actorId: p.id, subjectId: issued.row.id, ctx,
        data: { key_id: issued.row.id, owner_type: owner.type, owner_id: owner.id, name: issued.row.name, preview: issued.row.preview, expires_at: iso(issued.row.expires_at) },
      });
      return issued;
    });
    return { ...this.view(row), beak_key: beakKey, message: 'Beak Key created. Store it now: it is shown only once.' };
  }

  async revoke(p: Principal, keyId: string, ctx: RequestContext) {
    this.operatorOnly(p);
    return this.d.db.kysely.transaction().execute(async (tx) => {
      const row = await this.d.keys.store.get(tx, keyId);
      if (!row || row.duckling_id !== p.ducklingId) throw errors.notFound('Beak Key not found');
      const now = this.d.clock.now();
      if (await this.d.keys.store.revoke(tx, row.id, now)) {
        await this.d.events.record(tx, {
          type: 'key.revoked', ducklingId: row.duckling_id, actorId: p.id, subjectId: row.id, ctx,
          data: { key_id: row.id, owner_type: row.owner_type, owner_id: row.owner_id, preview: row.preview },
        });
      }
      return this.view((await this.d.keys.store.get(tx, row.id))!);
    });
  }

  /**
   * Which key turns over (CONTRACT §3): the presenting key when a Beak Key rotates its own
   * principal (or names no one); otherwise — a session, or an operator's key naming one of its
   * agents — the target's primary key. Conditional on the old key still being active, so two
   * racing rotations cannot both succeed.
   */
  async rotate(p: Principal, input: RotateInput, ctx: RequestContext) {
    const target = await this.rotationTarget(p, input);
    const ownKey = target.id === p.id && p.via === 'beak_key' ? p.keyId : undefined;
    const now = this.d.clock.now();
    const grace = input.grace_seconds ?? 0;
    const graceUntil = grace > 0 ? now + grace * 1000 : null;
    const out = await this.d.db.kysely.transaction().execute(async (tx) => {
      const old = ownKey ? await this.d.keys.store.get(tx, ownKey) : await this.d.keys.store.primaryOf(tx, target.id);
      if (old && old.status !== 'active') throw errors.conflict('This Beak Key has already been rotated or revoked; use its replacement');
      const lifetimeDays = old ? Math.min(365, Math.max(1, Math.round((old.expires_at - old.created_at) / DAY))) : DEFAULT_KEY_DAYS;
      const issued = await this.d.keys.issue(tx, {
        ownerType: target.type, ownerId: target.id, ducklingId: target.ducklingId, name: old?.name ?? 'primary',
        primary: old ? old.is_primary === 1 : true, expiresInDays: input.expires_in_days ?? lifetimeDays,
      });
      if (old && !(await this.d.keys.store.markRotated(tx, old.id, issued.row.id, graceUntil, now))) {
        throw errors.conflict('This Beak Key was rotated or revoked concurrently; use its replacement');
      }
      await this.d.events.record(tx, {
        type: 'key.rotated', ducklingId: target.ducklingId, actorId: p.id, subjectId: issued.row.id, ctx,
        data: {
          key_id: issued.row.id, previous_key_id: old?.id ?? null, owner_type: target.type, owner_id: target.id, duckling_id: target.ducklingId,
          preview: issued.row.preview, grace_seconds: grace, grace_until: iso(graceUntil),
        },
      });
      return { issued, old };
    });
    const { row } = out.issued;
    return {
      new_beak_key: out.issued.beakKey, beak_key: out.issued.beakKey, key_id: row.id, previous_key_id: out.old?.id ?? null,
      owner_type: target.type, duckling_id: target.ducklingId,
      ...(target.type === 'agent' ? { spaceduck_id: target.id, agent_id: target.id } : {}),
      rotated_at: iso(now)!, expires_at: iso(row.expires_at)!, grace_until: iso(graceUntil),
      message: graceUntil
        ? `Beak Key rotated. The previous key keeps working until ${iso(graceUntil)}.`
        : 'Beak Key rotated. Previous key is now invalid.',
    };
  }

  private async rotationTarget(p: Principal, input: RotateInput): Promise<Owner> {
    if (input.spaceduck_id && input.agent_id && input.spaceduck_id !== input.agent_id) {
      throw errors.validation('spaceduck_id and agent_id name different Space Ducks', [{ field: 'body.agent_id', message: 'must equal spaceduck_id' }]);
    }
    const agentId = input.spaceduck_id ?? input.agent_id;
    if (input.duckling_id && input.duckling_id !== p.ducklingId) throw errors.forbidden('You can only rotate your own keys');
    if (agentId) {
      if (p.kind === 'agent') {
        if (agentId !== p.id) throw errors.forbidden('A Space Duck can only rotate its own key');
        return { type: 'agent', id: p.id, ducklingId: p.ducklingId };
      }
      const agent = await this.d.agents.store.get(agentId);
      if (!agent || agent.duckling_id !== p.ducklingId) throw errors.forbidden('You can only rotate keys of your own Space Ducks');
      return this.agentOwner(this.live(agent));
    }
    if (input.duckling_id && p.kind === 'agent') throw errors.forbidden("A Space Duck cannot rotate its operator's key");
    return { type: p.kind, id: p.id, ducklingId: p.ducklingId };
  }

  view(r: BeakKeyRow) {
    const pending = this.d.keys.pendingLastUsed(r.id);
    const lastUsed = pending != null && (r.last_used_at == null || pending > r.last_used_at) ? pending : r.last_used_at;
    return {
      key_id: r.id, owner_type: r.owner_type, owner_id: r.owner_id, name: r.name, preview: r.preview, primary: r.is_primary === 1,
      created_at: iso(r.created_at)!, expires_at: iso(r.expires_at)!, last_used_at: iso(lastUsed),
      status: this.d.keys.statusOf(r), revoked_at: iso(r.revoked_at), replaced_by: r.replaced_by,
      grace_until: r.status === 'rotated' ? iso(r.grace_until) : null,
    };
  }

  private operatorOnly(p: Principal): void {
    if (p.kind !== 'duckling') throw errors.forbidden("The Key Manager is the operator's: use a session or the duckling's Beak Key");
  }

  private async ownedAgent(p: Principal, agentId: string): Promise<AgentRow> {
    const agent = await this.d.agents.store.get(agentId);
    if (!agent || agent.duckling_id !== p.ducklingId) throw errors.notFound('Space Duck not found');
    return agent;
  }

  private live(agent: AgentRow): AgentRow {
    if (agent.status === 'deregistered') throw errors.conflict('This Space Duck is deregistered');
    return agent;
  }

  private agentOwner(agent: AgentRow): Owner {
    return { type: 'agent', id: agent.id, ducklingId: agent.duckling_id };
  }
}
