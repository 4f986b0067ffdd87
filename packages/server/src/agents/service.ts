// Space Ducks (agents): registration, the bond ceremony, deregistration, pulses and liveness
// (CONTRACT §4). Rules only; no HTTP.
import type { Deps } from '../app.js';
import type { RequestContext } from '../events/bus.js';
import { iso } from '../kernel/clock.js';
import { randomBase62, safeEqual, sha256hex } from '../kernel/crypto.js';
import { errors } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { Periodic } from '../kernel/periodic.js';
import { clampLimit, decodeCursor, page } from '../kernel/pagination.js';
import type { Principal } from '../kernel/principal.js';
import { Directory } from './directory.js';
import { LIVENESS_WINDOW_MS, livenessAfterPulse, livenessOf, metaErrors, parseStatus } from './liveness.js';
import type { AgentRow } from './schema.js';
import { AgentStore } from './store.js';
import { BondCounts } from './bond-counts.js';
import { LiveFeed } from './stream.js';
import { PulseBuffer } from './pulses.js';

/** Single-use proof, handed out at registration, that the agent process holds its key. */
export const HANDSHAKE_TTL_MS = 24 * 3_600_000;
const SWEEP_EVERY_MS = 30_000;
const SWEEP_BATCH = 500;

export interface RegisterInput {
  agent_name: string; agent_type?: string; capabilities?: string[]; parent_id?: string;
  duckling_id?: string; provider?: string; model?: string;
}

export interface PulseInput {
  spaceduck_id?: string; agent_id?: string; duckling_id?: string; status?: string; meta?: Record<string, unknown>;
}

const newHandshakeToken = (): string => `hs_${randomBase62(43)}`;

export class AgentService {
  readonly store: AgentStore;
  readonly feed: LiveFeed;
  readonly directory: Directory;
  readonly pulses: PulseBuffer;
  private readonly bondCounts: BondCounts;
  private readonly sweeper: Periodic;

  constructor(private readonly d: Deps) {
    this.store = new AgentStore(d.db);
    this.feed = new LiveFeed(d);
    this.directory = new Directory(d);
    this.pulses = new PulseBuffer(d, this.store);
    this.bondCounts = new BondCounts(d.clock, d.events, d.db, (id, ducklingId) => this.store.activeBonds(id, ducklingId));
    this.sweeper = new Periodic('liveness sweep', SWEEP_EVERY_MS, () => this.sweep(), d.log);
  }

  start(): void { this.sweeper.start(); }

  /** Stops the sweeper and the live feed, and writes the pulses still waiting. */
  async stop(): Promise<void> {
    this.sweeper.stop();
    this.feed.close();
    await this.pulses.close();
  }

  async register(p: Principal, input: RegisterInput, ctx: RequestContext) {
    if (p.kind !== 'duckling') throw errors.forbidden('Space Ducks are registered by their operator (a session or the duckling\'s Beak Key)');
    if (input.duckling_id !== undefined && input.duckling_id !== p.ducklingId) throw errors.forbidden('duckling_id must be your own');
    const name = input.agent_name.trim();
    const type = input.agent_type?.trim() || null;
    if (!name) throw errors.validation('agent_name must not be blank', [{ field: 'body.agent_name', message: 'must not be blank' }]);
    if (input.agent_type !== undefined && !type) throw errors.validation('agent_type must not be blank', [{ field: 'body.agent_type', message: 'must not be blank' }]);
    if (input.parent_id !== undefined) {
      const parent = await this.store.get(input.parent_id);
      if (!parent || parent.duckling_id !== p.ducklingId || parent.status === 'deregistered') {
        throw errors.notFound('parent_id is not one of your Space Ducks');
      }
    }
    const now = this.d.clock.now();
    const handshake = newHandshakeToken();
    const row: AgentRow = {
      id: newId('sd', now), duckling_id: p.ducklingId, name, agent_type: type,
      capabilities: JSON.stringify([...new Set((input.capabilities ?? []).map((c) => c.trim()).filter(Boolean))]),
      parent_id: input.parent_id ?? null, provider: input.provider?.trim() || null, model: input.model?.trim() || null,
      status: 'registered', handshake_hash: sha256hex(handshake), handshake_expires_at: now + HANDSHAKE_TTL_MS,
      bonded_at: null, last_seen: null, last_status: null, last_meta: null, liveness: 'never', created_at: now, deregistered_at: null,
    };
    const key = await this.d.db.kysely.transaction().execute(async (tx) => {
      await this.store.insert(tx, row);
      const k = await this.d.keys.issue(tx, { ownerType: 'agent', ownerId: row.id, ducklingId: row.duckling_id, name: 'primary', primary: true });
      await this.d.events.record(tx, {
        type: 'agent.registered', ducklingId: row.duckling_id, actorId: p.id, subjectId: row.id, ctx,
        data: { agent_id: row.id, spaceduck_id: row.id, duckling_id: row.duckling_id, agent_name: row.name, agent_type: row.agent_type, parent_id: row.parent_id, key_id: k.row.id },
      });
      await this.d.events.record(tx, {
        type: 'key.created', ducklingId: row.duckling_id, actorId: p.id, subjectId: k.row.id, ctx,
        data: { key_id: k.row.id, owner_type: 'agent', owner_id: row.id, name: k.row.name, preview: k.row.preview, expires_at: iso(k.row.expires_at) },
      });
      return k;
    });
    return {
      ...(await this.ownerViews([row]))[0]!,
      beak_key: key.beakKey, key_id: key.row.id, key_expires_at: iso(key.row.expires_at)!,
      handshake_token: handshake, handshake_expires_at: iso(row.handshake_expires_at)!,
      message: 'Space Duck registered. Store its Beak Key now: it is shown only once. Complete the bond with the handshake token within 24 hours.',
    };
  }

  /** The agent proves it holds both its key (the credential) and the registration's handshake token. */
  async bond(p: Principal, input: { agent_id?: string; spaceduck_id?: string; handshake_token: string }, ctx: RequestContext) {
    if (p.kind !== 'agent') throw errors.forbidden("The bond ceremony is authenticated by the Space Duck's own Beak Key");
    const named = this.namedAgent(input);
    if (named !== undefined && named !== p.id) throw errors.forbidden('A Space Duck can only bond itself');
    const agent = await this.store.get(p.id);
    if (!agent || agent.status === 'deregistered') throw errors.unauthorized('Invalid or missing Beak Key');
    if (agent.status === 'bonded') throw errors.conflict('This Space Duck is already bonded; handshake tokens are single-use');
    const hash = sha256hex(input.handshake_token);
    if (!agent.handshake_hash || !safeEqual(hash, agent.handshake_hash)) throw errors.invalidOtp('Invalid handshake token');
    const now = this.d.clock.now();
    if ((agent.handshake_expires_at ?? 0) <= now) throw errors.expired('Handshake token expired; the operator can issue a new one (POST /beak/agent/handshake)');
    await this.d.db.kysely.transaction().execute(async (tx) => {
      if (!(await this.store.bond(tx, agent.id, hash, now))) throw errors.conflict('This Space Duck is already bonded; handshake tokens are single-use');
      await this.d.events.record(tx, {
        type: 'agent.bonded', ducklingId: agent.duckling_id, actorId: agent.id, subjectId: agent.id, ctx,
        data: { agent_id: agent.id, spaceduck_id: agent.id, duckling_id: agent.duckling_id, bonded_at: iso(now) },
      });
    });
    return { agent_id: agent.id, spaceduck_id: agent.id, duckling_id: agent.duckling_id, status: 'bonded' as const, bonded_at: iso(now)! };
  }

  /** A fresh handshake token for an agent that has not bonded yet (the first expired or was lost). */
  async reissueHandshake(p: Principal, input: { agent_id?: string; spaceduck_id?: string }, ctx: RequestContext) {
    const agent = await this.ownedByOperator(p, this.requireNamed(input));
    if (agent.status !== 'registered') throw errors.conflict(`This Space Duck is ${agent.status}; only a registered one can bond`);
    const now = this.d.clock.now();
    const token = newHandshakeToken();
    await this.d.db.kysely.transaction().execute(async (tx) => {
      if (!(await this.store.setHandshake(tx, agent.id, sha256hex(token), now + HANDSHAKE_TTL_MS))) throw errors.conflict('This Space Duck changed state meanwhile');
      await this.d.events.record(tx, { type: 'agent.handshake_issued', ducklingId: agent.duckling_id, actorId: p.id, subjectId: agent.id, ctx, data: { agent_id: agent.id } });
    });
    return { agent_id: agent.id, spaceduck_id: agent.id, handshake_token: token, handshake_expires_at: iso(now + HANDSHAKE_TTL_MS)! };
  }

  /** Operator or the agent itself: status deregistered, every key revoked at once, out of liveness counts. */
  async deregister(p: Principal, input: { agent_id?: string; spaceduck_id?: string }, ctx: RequestContext) {
    const id = this.namedAgent(input) ?? (p.kind === 'agent' ? p.id : undefined);
    if (!id) throw errors.validation('agent_id is required', [{ field: 'body.agent_id', message: 'is required' }]);
    if (p.kind === 'agent' && id !== p.id) throw errors.forbidden('A Space Duck can only deregister itself');
    const agent = await this.store.get(id);
    if (!agent || agent.duckling_id !== p.ducklingId) throw errors.notFound('Space Duck not found');
    const now = this.d.clock.now();
    const revoked = await this.d.db.kysely.transaction().execute(async (tx) => {
      if (!(await this.store.deregister(tx, agent.id, now))) return null;
      const keys = await this.d.keys.store.revokeAllOf(tx, agent.id, now);
      await this.d.pecks.endAllFor(tx, agent.id, ctx, 'agent_deregistered');
      await this.d.events.record(tx, {
        type: 'agent.deregistered', ducklingId: agent.duckling_id, actorId: p.id, subjectId: agent.id, ctx,
        data: { agent_id: agent.id, spaceduck_id: agent.id, duckling_id: agent.duckling_id, revoked_key_ids: keys },
      });
      return keys;
    });
    if (revoked) {
      this.feed.publish({
        type: 'liveness', duckling_id: agent.duckling_id, spaceduck_id: agent.id, agent_id: agent.id,
        liveness: 'terminated', previous: livenessOf(agent, now), at: iso(now)!,
      });
    }
    const after = revoked ? now : agent.deregistered_at;
    return {
      agent_id: agent.id, spaceduck_id: agent.id, status: 'deregistered' as const, deregistered_at: iso(after)!,
      revoked_keys: revoked?.length ?? 0,
      message: revoked ? 'Space Duck deregistered; its Beak Keys are revoked.' : 'Space Duck was already deregistered.',
    };
  }

  /** The operator's own view: every agent with key preview, status, liveness and last pulse. */
  async list(p: Principal, q: { limit?: number; cursor?: string; include_deregistered?: boolean }) {
    if (p.kind !== 'duckling') throw errors.forbidden("The agent list is the operator's view");
    const limit = clampLimit(q.limit);
    const rows = await this.store.list(p.ducklingId, { before: decodeCursor(q.cursor), limit: limit + 1, includeDeregistered: !!q.include_deregistered });
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { agents: await this.ownerViews(items), next_cursor };
  }

  /** A duckling's agents: the full view for the duckling itself, the public masked view for anyone else. */
  async ofDuckling(caller: Principal | undefined, ducklingId: string, q: { limit?: number; cursor?: string }) {
    const owner = caller?.kind === 'duckling' && caller.id === ducklingId;
    if (!owner) {
      const d = await this.d.db.kysely.selectFrom('ducklings').select(['status', 'email_verified', 'directory_visible'])
        .where('id', '=', ducklingId).executeTakeFirst();
      if (!d || !this.directory.visible(d)) throw errors.notFound('Duckling not found');
    }
    const limit = clampLimit(q.limit);
    const rows = await this.store.list(ducklingId, { before: decodeCursor(q.cursor), limit: limit + 1, includeDeregistered: false });
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    const now = this.d.clock.now();
    return {
      duckling_id: ducklingId, view: owner ? 'owner' as const : 'public' as const,
      spaceducks: owner ? await this.ownerViews(items) : items.map((a) => this.publicView(a, now)),
      next_cursor,
    };
  }

  /**
   * The hot path. The credential was resolved by the auth hook (one indexed lookup); this reads
   * the live bond count and hands the write to the pulse buffer.
   */
  async pulse(p: Principal, input: PulseInput) {
    const named = this.namedAgent(input);
    if (named !== undefined && named !== p.id) throw errors.forbidden('spaceduck_id must be the Space Duck whose credential is presented');
    // An agent may name its operator's duckling_id (seed 000's pulse loop sends it): the pulse is still its own.
    if (input.duckling_id !== undefined && input.duckling_id !== p.ducklingId) throw errors.forbidden('duckling_id must be the credential\'s own');
    const status = parseStatus(input.status);
    if (typeof status === 'object') throw errors.validation(`Invalid request: ${status.field} ${status.message}`, [status]);
    const bad = metaErrors(input.meta);
    if (bad.length) throw errors.validation(`Invalid request: ${bad.map((e) => `${e.field} ${e.message}`).join('; ')}`, bad);
    const now = this.d.clock.now();
    const liveness = livenessAfterPulse(status);
    const meta = input.meta && Object.keys(input.meta).length ? input.meta : null;
    const bonds = await this.bondCounts.of(p.id, p.ducklingId);
    this.pulses.add(p.kind, { id: p.id, ducklingId: p.ducklingId, now, status, liveness, meta: meta ? JSON.stringify(meta) : null });
    const agentId = p.kind === 'agent' ? p.id : null;
    const lastSeen = iso(now)!;
    this.feed.publish({ type: 'pulse', duckling_id: p.ducklingId, spaceduck_id: agentId, agent_id: agentId, status, liveness, last_seen: lastSeen, meta });
    return {
      status: 'ok' as const, message: 'Pulse recorded', duckling_id: p.ducklingId,
      ...(agentId ? { spaceduck_id: agentId, agent_id: agentId } : {}),
      last_seen: lastSeen, liveness, active_bonds: bonds, trust_tier: p.tier,
    };
  }

  /**
   * Announces agents that stopped pulsing: each transition to inactive is one conditional
   * UPDATE, and only its winner records `agent.inactive` — once, whatever the number of nodes.
   * Returns how many transitions this call made (tests run it with a moved clock).
   */
  async sweep(): Promise<number> {
    await this.pulses.flush(); // this node's latest pulses first: they may keep an agent alive
    const now = this.d.clock.now();
    const cutoff = now - LIVENESS_WINDOW_MS;
    let total = 0;
    for (const liveness of ['active', 'paused']) {
      for (let after = '';;) {
        const page = await this.store.announced(liveness, after, SWEEP_BATCH);
        for (const a of page) {
          if (a.last_seen == null || a.last_seen > cutoff) continue;
          if (await this.announceInactive(a, now)) total++;
        }
        if (page.length < SWEEP_BATCH) break;
        after = page[page.length - 1]!.id;
      }
    }
    return total;
  }

  private async announceInactive(a: Pick<AgentRow, 'id' | 'duckling_id' | 'liveness' | 'last_seen'>, now: number): Promise<boolean> {
    const won = await this.d.db.kysely.transaction().execute(async (tx) => {
      if (!(await this.store.markInactive(tx, a))) return false;
      await this.d.events.record(tx, {
        type: 'agent.inactive', ducklingId: a.duckling_id, actorId: null, subjectId: a.id,
        data: { agent_id: a.id, spaceduck_id: a.id, duckling_id: a.duckling_id, previous_liveness: a.liveness, last_seen: iso(a.last_seen) },
      });
      return true;
    });
    if (won) this.feed.publish({ type: 'liveness', duckling_id: a.duckling_id, spaceduck_id: a.id, agent_id: a.id, liveness: 'inactive', previous: a.liveness, at: iso(now)! });
    return won;
  }

  async ownerViews(rows: AgentRow[]) {
    const keys = await this.d.keys.store.primariesOf(rows.map((r) => r.id));
    const keyOf = new Map(keys.map((k) => [k.owner_id, k]));
    const now = this.d.clock.now();
    return rows.map((stored) => {
      const a = this.withPending(stored);
      const k = keyOf.get(a.id);
      return {
        ...this.publicView(a, now), provider: a.provider, model: a.model,
        last_seen: iso(a.last_seen), last_status: a.last_status, meta: a.last_meta ? (JSON.parse(a.last_meta) as Record<string, unknown>) : null,
        // Seed 002 lists `beak_key` as a masked preview; the secret itself is never stored.
        beak_key: k?.preview ?? null, beak_key_preview: k?.preview ?? null, key_id: k?.id ?? null, key_expires_at: iso(k?.expires_at),
        bonded_at: iso(a.bonded_at), deregistered_at: iso(a.deregistered_at),
      };
    });
  }

  publicView(stored: AgentRow, now: number) {
    const a = this.withPending(stored);
    return {
      spaceduck_id: a.id, agent_id: a.id, duckling_id: a.duckling_id, agent_name: a.name, agent_type: a.agent_type,
      capabilities: JSON.parse(a.capabilities) as string[], parent_id: a.parent_id, status: a.status,
      liveness: livenessOf(a, now), created_at: iso(a.created_at)!,
    };
  }

  /** The stored row with this node's not-yet-written pulse applied. */
  withPending<T extends { id: string; last_seen: number | null; last_status: string | null; last_meta: string | null }>(row: T): T {
    const p = this.pulses.pending(row.id);
    return p && (row.last_seen == null || p.now >= row.last_seen)
      ? { ...row, last_seen: p.now, last_status: p.status, last_meta: p.meta }
      : row;
  }

  private namedAgent(input: { agent_id?: string; spaceduck_id?: string }): string | undefined {
    if (input.agent_id !== undefined && input.spaceduck_id !== undefined && input.agent_id !== input.spaceduck_id) {
      throw errors.validation('spaceduck_id and agent_id name different Space Ducks', [{ field: 'body.agent_id', message: 'must equal spaceduck_id' }]);
    }
    return input.spaceduck_id ?? input.agent_id;
  }

  private requireNamed(input: { agent_id?: string; spaceduck_id?: string }): string {
    const id = this.namedAgent(input);
    if (!id) throw errors.validation('agent_id is required', [{ field: 'body.agent_id', message: 'is required' }]);
    return id;
  }

  private async ownedByOperator(p: Principal, id: string): Promise<AgentRow> {
    if (p.kind !== 'duckling') throw errors.forbidden("This is the operator's action");
    const agent = await this.store.get(id);
    if (!agent || agent.duckling_id !== p.ducklingId) throw errors.notFound('Space Duck not found');
    return agent;
  }
}
