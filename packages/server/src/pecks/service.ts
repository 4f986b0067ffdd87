// The Peck Protocol (CONTRACT §6): one identity asks another for a trust bond; the target
// decides with its credentials or the emailed code within 10 minutes; approval creates the bond.
import type { Deps } from '../app.js';
import type { DomainEvent, RequestContext, Tx } from '../events/bus.js';
import { AppError, errors } from '../kernel/errors.js';
import { newId } from '../kernel/ids.js';
import { Periodic } from '../kernel/periodic.js';
import { iso } from '../kernel/clock.js';
import { tierAtLeast, type Principal } from '../kernel/principal.js';
import { clampLimit, decodeCursor, page } from '../kernel/pagination.js';
import { normalizeEmail } from '../identity/names.js';
import type { ConnectionRow, PeckRow } from './schema.js';
import { PeckStore, pairKey, type Party, type PeckStatusFilter, type Viewer } from './store.js';
import { bondData, connectionView, peckView, statusAt } from './views.js';

export const PECK_TTL_MS = 10 * 60_000;
export const PAYLOAD_MAX_BYTES = 8 * 1024;
const SWEEP_EVERY_MS = 15_000;
const SWEEP_BATCH = 200;

export interface PeckRequestInput {
  requester_id?: string; requester_spaceduck_id?: string; requester_agent_id?: string;
  target_email?: string; target?: string; target_duckling_id?: string; target_spaceduck_id?: string; target_agent_id?: string;
  purpose?: string; action?: string; scope?: string; payload?: Record<string, unknown>;
}

export interface DecisionInput { peck_id: string; duckling_id?: string; otp?: string; code?: string; reason?: string }

type Caller = Principal | undefined;

export class PeckService {
  readonly store: PeckStore;
  private readonly sweeper: Periodic;

  constructor(private readonly d: Deps) {
    this.store = new PeckStore(d.db);
    this.sweeper = new Periodic('peck expiry sweep', SWEEP_EVERY_MS, () => this.expireDue(), d.log);
  }

  // ── request ────────────────────────────────────────────────────────────────────────────────

  async request(p: Principal, input: PeckRequestInput, ctx: RequestContext) {
    const payload = input.payload === undefined ? null : JSON.stringify(input.payload);
    if (payload !== null && Buffer.byteLength(payload) > PAYLOAD_MAX_BYTES) {
      throw errors.validation('payload must be at most 8 KiB of JSON', [{ field: 'body.payload', message: 'must be at most 8192 bytes serialized' }]);
    }
    const requester = await this.requesterFor(p, input);
    if (!tierAtLeast(requester.tier, 'T1')) throw errors.tier('T1');
    if (!(await this.store.hasValidCertificate(requester.ducklingId))) {
      throw new AppError(403, 'TRUST_TIER_INSUFFICIENT', 'E4002', 'A valid birth certificate (T1 or higher) is required to peck');
    }
    const { target, byEmail } = await this.targetFor(input);
    if (target.ducklingId === requester.ducklingId) {
      throw errors.validation('You cannot peck yourself or an identity of your own account', [{ field: 'body.target', message: 'is the requester\'s own account' }]);
    }

    const create = () => this.d.db.kysely.transaction().execute(async (tx) => {
      const now = this.d.clock.now();
      const key = pairKey(requester.id, target.id);
      const bond = await this.store.liveBond(key, tx);
      if (bond) throw new AppError(409, 'CONFLICT', 'E4090', 'Already bonded with this target', { connection_id: bond.id });
      const pending = await this.store.pendingForPair(key, tx);
      if (pending && pending.expires_at <= now) await this.expireOne(tx, pending, now);
      else if (pending && pending.requester_id === requester.id) return { peck: pending, code: null };
      else if (pending) {
        throw new AppError(409, 'CONFLICT', 'E4090', 'This target has already pecked you: approve or deny that peck instead', { peck_id: pending.id });
      }
      const peck: PeckRow = {
        id: newId('peck', now), requester_id: requester.id, requester_type: requester.kind, requester_duckling_id: requester.ducklingId,
        target_id: target.id, target_type: target.kind, target_duckling_id: target.ducklingId, target_email: byEmail ? target.email : null,
        purpose: input.purpose ?? null, action: actionOf(input.action), scope: input.scope ?? null, payload,
        status: 'pending', created_at: now, expires_at: now + PECK_TTL_MS, decided_at: null, reason: null, connection_id: null, pair_key: key,
      };
      await this.store.insertPeck(tx, peck);
      const code = await this.d.otps.issue('peck', peck.id, tx);
      const data = {
        peck_id: peck.id, requester_id: requester.id, requester_type: requester.kind, requester_display_name: requester.displayName,
        requester_trust_tier: requester.tier, target_id: target.id, target_type: target.kind, purpose: peck.purpose, action: peck.action,
        scope: peck.scope, has_payload: payload !== null, expires_at: iso(peck.expires_at),
      };
      const base = { actorId: requester.id, subjectId: peck.id, data, ctx };
      await this.d.events.record(tx, { ...base, type: 'peck.sent', ducklingId: requester.ducklingId });
      await this.d.events.record(tx, { ...base, type: 'peck.received', ducklingId: target.ducklingId });
      return { peck, code };
    });
    // Two first pecks for one pair racing on different connections: the partial unique index lets
    // one in; the other finds it on retry and returns it.
    const { peck, code } = await create().catch((err: unknown) => (isUniqueViolation(err) ? create() : Promise.reject(err)));
    if (code) await this.mailTarget(peck, requester, target, code);
    return {
      peck_id: peck.id, status: 'pending' as const, ...(byEmail ? { target_email: target.email } : {}), target_id: peck.target_id,
      expires_at: iso(peck.expires_at)!, message: 'Peck sent. Waiting for target approval.',
    };
  }

  /** The caller itself, or one of its agents named in the body; anything else is 403. */
  private async requesterFor(p: Principal, input: PeckRequestInput): Promise<Party> {
    const named = [input.requester_id, input.requester_spaceduck_id, input.requester_agent_id].filter((x): x is string => x !== undefined);
    if (new Set(named).size > 1) throw errors.validation('requester_id and requester_spaceduck_id name different identities', [{ field: 'body.requester_id', message: 'conflicts with requester_spaceduck_id' }]);
    const id = named[0] ?? p.id;
    const party = id === p.id || (p.kind === 'duckling' && id.startsWith('sd_')) ? await this.store.party(id) : undefined;
    if (!party || party.ducklingId !== p.ducklingId) throw errors.forbidden('requester_id must be the caller or one of its own Space Ducks');
    return party;
  }

  private async targetFor(input: PeckRequestInput): Promise<{ target: Party; byEmail: boolean }> {
    const given = (['target_email', 'target', 'target_duckling_id', 'target_spaceduck_id', 'target_agent_id'] as const).filter((k) => input[k] !== undefined);
    if (given.length === 0) {
      throw errors.validation('A target is required: target_email, target, target_duckling_id or target_spaceduck_id', [{ field: 'body.target_email', message: 'is required' }]);
    }
    if (given.length > 1) {
      throw errors.validation(`Give exactly one target (got ${given.join(', ')})`, given.map((f) => ({ field: `body.${f}`, message: 'only one target field is allowed' })));
    }
    const field = given[0]!;
    const value = input[field]!;
    let target: Party | undefined;
    if (field === 'target_email') target = await this.store.partyByEmail(normalizeEmail(value));
    else if (field === 'target_duckling_id') target = value.startsWith('dk_') ? await this.store.party(value) : undefined;
    else if (field === 'target') target = /^(dk|sd)_/.test(value) ? await this.store.party(value) : undefined;
    else target = value.startsWith('sd_') ? await this.store.party(value) : undefined;
    if (!target) throw errors.notFound('Target Space Duck not found');
    return { target, byEmail: field === 'target_email' };
  }

  private async mailTarget(peck: PeckRow, requester: Party, target: Party, code: string): Promise<void> {
    const who = oneLine(requester.kind === 'agent' ? `${requester.displayName} (a Space Duck operated by ${requester.operatorName})` : requester.displayName);
    const whom = target.kind === 'agent' ? `your Space Duck ${oneLine(target.displayName)}` : 'you';
    const line = (label: string, v: string | null) => (v ? `${label}: ${oneLine(v)}\n` : '');
    const text = `${who} (trust tier ${requester.tier}) wants to bond with ${whom} on Space Duck.\n\n`
      + line('Purpose', peck.purpose ?? '(none given)') + line('Action', peck.action) + line('Scope', peck.scope)
      + `Peck id: ${peck.id}\nApproval code: ${code}\n\n`
      + `The code is valid for 10 minutes (until ${iso(peck.expires_at)}). Approve with POST /beak/peck/approve `
      + `{"peck_id": "${peck.id}", "otp": "<code>"}, or deny with POST /beak/peck/deny. `
      + 'If you do not recognise this request, ignore this message: the peck expires on its own.';
    await this.d.mail.sendMail({ to: target.email, subject: `${oneLine(requester.displayName)} wants to bond with you on Space Duck`, text, otp: code })
      .catch((err: Error) => this.d.log.warn({ err: err.message, peck_id: peck.id }, 'peck notification not sent'));
  }

  // ── decisions ──────────────────────────────────────────────────────────────────────────────

  async approve(caller: Caller, input: DecisionInput, ctx: RequestContext) {
    const { peck, method } = await this.authorizeDecision(caller, input);
    const result = await this.d.db.kysely.transaction().execute(async (tx) => {
      // A code alone proves no account is active: an administrator may have suspended either side.
      if (!(await this.store.bothActive(tx, peck.requester_duckling_id, peck.target_duckling_id))) {
        throw errors.conflict('A party to this peck is suspended; it cannot be approved');
      }
      const now = this.d.clock.now();
      const connId = newId('conn', now);
      await this.decideOrExplain(tx, peck.id, now, { status: 'approved', reason: null, connection_id: connId });
      const existing = await this.store.liveBond(peck.pair_key, tx);
      if (existing) throw new AppError(409, 'CONFLICT', 'E4090', 'Already bonded with this identity', { connection_id: existing.id });
      const conn: ConnectionRow = {
        id: connId, peck_id: peck.id, requester_id: peck.requester_id, requester_type: peck.requester_type,
        requester_duckling_id: peck.requester_duckling_id, target_id: peck.target_id, target_type: peck.target_type,
        target_duckling_id: peck.target_duckling_id, scope: peck.scope, pair_key: peck.pair_key, bonded_at: now, removed_at: null,
      };
      await this.store.insertConnection(tx, conn);
      const actorId = caller?.id ?? peck.target_id;
      await this.toBoth(tx, peck, { type: 'peck.approved', actorId, subjectId: peck.id, ctx, data: { peck_id: peck.id, connection_id: connId, requester_id: peck.requester_id, target_id: peck.target_id, method } });
      await this.toBoth(tx, peck, { type: 'bond.created', actorId, subjectId: connId, ctx, data: bondData(conn) });
      return conn;
    }).catch((err: unknown) => Promise.reject(isUniqueViolation(err) ? errors.conflict('Already bonded with this identity') : err));
    return {
      approved: true as const, connection_id: result.id, status: 'bonded' as const, peck_id: peck.id,
      requester_id: peck.requester_id, target_id: peck.target_id, bonded_at: iso(result.bonded_at)!,
    };
  }

  async deny(caller: Caller, input: DecisionInput, ctx: RequestContext) {
    const { peck, method } = await this.authorizeDecision(caller, input);
    const reason = input.reason ?? null;
    await this.d.db.kysely.transaction().execute(async (tx) => {
      const now = this.d.clock.now();
      await this.decideOrExplain(tx, peck.id, now, { status: 'rejected', reason, connection_id: null });
      await this.toBoth(tx, peck, {
        type: 'peck.rejected', actorId: caller?.id ?? peck.target_id, subjectId: peck.id, ctx,
        data: { peck_id: peck.id, requester_id: peck.requester_id, target_id: peck.target_id, reason, method },
      });
    });
    await this.mailRequester(peck, reason);
    return { denied: true as const, peck_id: peck.id, status: 'rejected' as const, reason };
  }

  /**
   * Who may decide: the target (or its operator) by credentials, or whoever holds the peck's code;
   * when both are presented both must hold. The code is checked last, outside any transaction, so a
   * wrong guess counts even though the request fails — and only against a peck still open.
   */
  private async authorizeDecision(caller: Caller, input: DecisionInput): Promise<{ peck: PeckRow; method: string }> {
    const peck = await this.store.peck(input.peck_id);
    if (!peck) throw errors.notFound('Peck not found');
    const code = input.otp ?? input.code;
    if (caller && !this.isTargetSide(caller, peck)) throw errors.forbidden('Only the target of this peck (or its operator) can decide it');
    if (input.duckling_id !== undefined && input.duckling_id !== peck.target_duckling_id && input.duckling_id !== peck.target_id) {
      throw errors.forbidden('duckling_id is not the target of this peck');
    }
    if (!caller && code === undefined) throw errors.unauthorized('Authenticate as the target, or present the code from the peck notification');
    await this.assertOpen(peck);
    if (code !== undefined) await this.d.otps.consume('peck', peck.id, code);
    return { peck, method: caller && code !== undefined ? 'credentials+otp' : caller ? 'credentials' : 'otp' };
  }

  private isTargetSide(p: Principal, peck: PeckRow): boolean {
    return p.id === peck.target_id || (p.kind === 'duckling' && p.ducklingId === peck.target_duckling_id);
  }

  private async assertOpen(peck: PeckRow): Promise<void> {
    const now = this.d.clock.now();
    if (peck.status === 'pending' && peck.expires_at <= now) {
      await this.d.db.kysely.transaction().execute((tx) => this.expireOne(tx, peck, now));
      throw errors.expired('Peck expired: the target did not decide within 10 minutes');
    }
    if (peck.status === 'expired') throw errors.expired('Peck expired: the target did not decide within 10 minutes');
    if (peck.status !== 'pending') throw errors.conflict(`Peck already ${peck.status}`);
  }

  /** The conditional decision; when it loses a race, says why (decided by someone else, or expired). */
  private async decideOrExplain(tx: Tx, id: string, now: number, patch: Pick<PeckRow, 'status' | 'reason' | 'connection_id'>): Promise<void> {
    if (await this.store.decide(tx, id, now, patch)) return;
    const current = await this.store.peck(id, tx);
    if (current && statusAt(current, now) === 'expired') throw errors.expired('Peck expired: the target did not decide within 10 minutes');
    throw errors.conflict(`Peck already ${current?.status ?? 'decided'}`);
  }

  private async mailRequester(peck: PeckRow, reason: string | null): Promise<void> {
    const requester = await this.store.party(peck.requester_id);
    if (!requester) return;
    const text = `Your peck ${peck.id} to ${peck.target_id} was declined.\n`
      + (reason ? `Reason: ${oneLine(reason)}\n` : '') + '\nNo trust bond was created.';
    await this.d.mail.sendMail({ to: requester.email, subject: 'Your Space Duck peck was declined', text })
      .catch((err: Error) => this.d.log.warn({ err: err.message, peck_id: peck.id }, 'peck decline notice not sent'));
  }

  // ── bonds and listings ─────────────────────────────────────────────────────────────────────

  async unpeck(p: Principal, input: { connection_id?: string; target_id?: string }, ctx: RequestContext) {
    const conn = await this.bondToRemove(p, input);
    const now = this.d.clock.now();
    await this.d.db.kysely.transaction().execute(async (tx) => {
      if (!(await this.store.removeConnection(tx, conn.id, now))) throw errors.conflict('This bond was already removed');
      await this.toBoth(tx, conn, { type: 'bond.removed', actorId: p.id, subjectId: conn.id, ctx, data: { ...bondData(conn), removed_by: p.id, unbonded_at: iso(now) } });
    });
    return { connection_id: conn.id, status: 'unbonded' as const, unbonded_at: iso(now)! };
  }

  private async bondToRemove(p: Principal, input: { connection_id?: string; target_id?: string }): Promise<ConnectionRow> {
    if (input.connection_id !== undefined) {
      const conn = await this.store.connection(input.connection_id);
      if (!conn) throw errors.notFound('Bond not found');
      const party = (id: string, dk: string) => p.id === id || (p.kind === 'duckling' && p.ducklingId === dk);
      if (!party(conn.requester_id, conn.requester_duckling_id) && !party(conn.target_id, conn.target_duckling_id)) {
        throw errors.forbidden('Only a party to this bond can remove it');
      }
      if (conn.removed_at !== null) throw errors.conflict('This bond was already removed');
      return conn;
    }
    if (input.target_id === undefined) throw errors.validation('connection_id or target_id is required', [{ field: 'body.connection_id', message: 'is required' }]);
    const direct = await this.store.liveBond(pairKey(p.id, input.target_id));
    if (direct) return direct;
    // A duckling may also remove a bond one of its agents holds with the target, when unambiguous.
    const viaAgents = await this.store.liveBondsWithPeer(viewerOf(p), input.target_id);
    if (viaAgents.length > 1) throw errors.conflict('Several of your identities are bonded with this target: pass connection_id');
    if (!viaAgents[0]) throw errors.notFound('No bond with this target');
    return viaAgents[0];
  }

  async history(p: Principal, q: { limit?: number; cursor?: string; direction?: 'sent' | 'received'; status?: PeckStatusFilter }) {
    const limit = clampLimit(q.limit);
    const v = viewerOf(p);
    const now = this.d.clock.now();
    const rows = await this.store.history(v, { direction: q.direction, status: q.status, before: decodeCursor(q.cursor), limit: limit + 1, now });
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { pecks: items.map((r) => peckView(r, v, now)), next_cursor };
  }

  async pending(p: Principal, limit?: number) {
    const v = viewerOf(p);
    const now = this.d.clock.now();
    const rows = await this.store.pendingFor(v, now, clampLimit(limit, 100));
    return { pecks: rows.map((r) => peckView(r, v, now)) };
  }

  async connections(p: Principal, q: { limit?: number; cursor?: string }) {
    const limit = clampLimit(q.limit, 100);
    const v = viewerOf(p);
    const rows = await this.store.connections(v, { before: decodeCursor(q.cursor), limit: limit + 1 });
    const { items, next_cursor } = page(rows, limit, (r) => r.id);
    return { connections: items.map((c) => connectionView(c, v)), next_cursor };
  }

  /** Live bonds in which the identity itself (duckling or agent) is a party. */
  activeBonds(id: string): Promise<number> {
    return this.store.countLive(id);
  }

  /**
   * For the caller's transaction when an identity goes away (agent deregistered, account closed):
   * its pending pecks are cancelled and its bonds removed, each with its events on both sides.
   */
  async endAllFor(tx: Tx, id: string, ctx: RequestContext, reason = 'identity_removed'): Promise<void> {
    const now = this.d.clock.now();
    const { pecks, bonds } = await this.store.openAround(tx, id);
    for (const peck of pecks) {
      if (!(await this.store.cancel(tx, peck.id, now, reason))) continue;
      await this.toBoth(tx, peck, { type: 'peck.cancelled', actorId: id, subjectId: peck.id, ctx, data: { peck_id: peck.id, requester_id: peck.requester_id, target_id: peck.target_id, reason } });
    }
    for (const conn of bonds) {
      if (!(await this.store.removeConnection(tx, conn.id, now))) continue;
      await this.toBoth(tx, conn, { type: 'bond.removed', actorId: id, subjectId: conn.id, ctx, data: { ...bondData(conn), removed_by: id, reason, unbonded_at: iso(now) } });
    }
  }

  // ── expiry ─────────────────────────────────────────────────────────────────────────────────

  /** Marks every pending peck past its expiry as expired; `peck.expired` fires once per peck, on any node. */
  async expireDue(): Promise<number> {
    let total = 0;
    for (;;) {
      const now = this.d.clock.now();
      const due = await this.store.dueForExpiry(now, SWEEP_BATCH);
      for (const peck of due) {
        if (await this.d.db.kysely.transaction().execute((tx) => this.expireOne(tx, peck, now))) total++;
      }
      if (due.length < SWEEP_BATCH) return total;
    }
  }

  private async expireOne(tx: Tx, peck: PeckRow, now: number): Promise<boolean> {
    if (!(await this.store.expire(tx, peck.id, now))) return false;
    await this.toBoth(tx, peck, {
      type: 'peck.expired', actorId: null, subjectId: peck.id,
      data: { peck_id: peck.id, requester_id: peck.requester_id, target_id: peck.target_id, expired_at: iso(peck.expires_at) },
    });
    return true;
  }

  start(): void { this.sweeper.start(); }

  stop(): void { this.sweeper.stop(); }

  /** One event per side: each duckling's audit log and webhooks get their own copy. */
  private async toBoth(tx: Tx, sides: { requester_duckling_id: string; target_duckling_id: string }, e: Omit<DomainEvent, 'ducklingId'>): Promise<void> {
    await this.d.events.record(tx, { ...e, ducklingId: sides.requester_duckling_id });
    await this.d.events.record(tx, { ...e, ducklingId: sides.target_duckling_id });
  }
}

export const viewerOf = (p: Principal): Viewer => ({ kind: p.kind, id: p.id, ducklingId: p.ducklingId });

/** Seed 000 sends `action: "peck"`: that is the verb of the request, not an action asked for. */
const actionOf = (action: string | undefined): string | null => (action === undefined || action === 'peck' ? null : action);

const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(String((err as Error | null)?.message ?? ''));
}
