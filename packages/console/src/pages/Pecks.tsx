// The Peck Protocol from the operator's side: pecks waiting for my decision, a form to send one,
// my live bonds, and the history of pecks sent and received.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { Badge, Button, ConfirmButton, Empty, ErrorNote, Field, Loading, Notice, Page, Pager, Section, Time, useAction, useLoad } from '../ui';
import type { Agent } from './MissionControl';

interface Peck {
  peck_id: string; direction: 'sent' | 'received'; requester_id: string; requester_type: string; target_id: string; target_type: string;
  target_email: string | null; purpose: string | null; action: string | null; scope: string | null; status: string;
  created_at: string; expires_at: string; decided_at: string | null; reason: string | null; connection_id: string | null;
}
interface Bond { connection_id: string; peer_id: string; peer_type: string; peer_display_name: string | null; peer_trust_tier: string | null; scope: string | null; bonded_at: string; own_id: string }

const STATUS_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'idle'> = { pending: 'warn', approved: 'ok', rejected: 'bad', expired: 'idle', cancelled: 'idle' };

export function Pecks() {
  const pending = useLoad((signal) => api<{ pecks: Peck[] }>('POST', '/beak/peck/list', { body: { limit: 100 }, signal }).then((b) => b.pecks));
  const bonds = useLoad((signal) => api<{ connections: Bond[] }>('GET', '/beak/connections?limit=100', { signal }).then((b) => b.connections));
  const agents = useLoad((signal) => api<{ agents: Agent[] }>('GET', '/beak/agent/list?limit=100', { signal }).then((b) => b.agents).catch(() => [] as Agent[]));
  const [historyTick, setHistoryTick] = useState(0);
  const act = useAction();

  // New pecks arrive from other operators: look again every 10 s and when the tab regains focus.
  useEffect(() => {
    const refresh = () => { if (document.visibilityState === 'visible') pending.reload(); };
    const timer = setInterval(refresh, 10_000);
    window.addEventListener('focus', refresh);
    return () => { clearInterval(timer); window.removeEventListener('focus', refresh); };
  }, [pending.reload]);

  const changed = () => { pending.reload(); bonds.reload(); setHistoryTick((t) => t + 1); };
  const nameOf = (id: string) => agents.data?.find((a) => a.agent_id === id)?.agent_name;

  return (
    <Page title="Pecks" intro="A peck asks another duckling or Space Duck for a trust bond. The target has 10 minutes to approve or deny it.">
      <Section title="Waiting for your decision">
        <ErrorNote error={pending.error} />
        {pending.loading && !pending.data ? <Loading what="Loading pecks" /> : !pending.data?.length ? (
          <Empty>Nothing to decide. Pecks addressed to you or your Space Ducks appear here.</Empty>
        ) : (
          <ul className="cards">{pending.data.map((p) => <Decide key={p.peck_id} peck={p} target={nameOf(p.target_id)} onDone={changed} />)}</ul>
        )}
      </Section>

      <SendPeck agents={agents.data ?? []} onSent={changed} />
      <Sent key={`sent-${historyTick}`} />

      <Section title="Bonds">
        <ErrorNote error={bonds.error ?? act.error} />
        {bonds.loading && !bonds.data ? <Loading what="Loading bonds" /> : !bonds.data?.length ? (
          <Empty>No bonds yet. Send a peck, or approve one, to create a trust bond.</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Peer</th><th scope="col">Tier</th><th scope="col">Scope</th><th scope="col">Bonded</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {bonds.data.map((b) => (
                  <tr key={b.connection_id} data-bond={b.connection_id}>
                    <th scope="row">{b.peer_display_name ?? b.peer_id}<small className="id">{b.peer_id}{nameOf(b.own_id) ? ` · with ${nameOf(b.own_id)}` : ''}</small></th>
                    <td>{b.peer_trust_tier ?? '—'}</td>
                    <td>{b.scope ?? '—'}</td>
                    <td><Time iso={b.bonded_at} /></td>
                    <td><ConfirmButton label="Unpeck" confirm="Remove bond" pending={act.pending} onConfirm={() => void act.run(async () => {
                      await api('POST', '/beak/unpeck', { body: { connection_id: b.connection_id } });
                      changed();
                    })} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>

      <History key={historyTick} />
    </Page>
  );
}

function Decide({ peck, target, onDone }: { peck: Peck; target?: string; onDone: () => void }) {
  const [denying, setDenying] = useState(false);
  const [reason, setReason] = useState('');
  const act = useAction();
  const decide = (how: 'approve' | 'deny') => void act.run(async () => {
    await api('POST', how === 'approve' ? '/beak/peck/approve' : '/beak/peck/deny', { body: { peck_id: peck.peck_id, ...(how === 'deny' && reason.trim() && { reason: reason.trim() }) } });
    onDone();
  });
  return (
    <li className="card inner" data-peck={peck.peck_id}>
      <p><strong>{peck.requester_id}</strong> <span className="muted">({peck.requester_type})</span> asks {target ? <>your Space Duck <strong>{target}</strong></> : 'you'} for a bond.</p>
      <dl className="kv">
        <div><dt>Purpose</dt><dd>{peck.purpose || '—'}</dd></div>
        {peck.action && <div><dt>Action</dt><dd>{peck.action}</dd></div>}
        {peck.scope && <div><dt>Scope</dt><dd>{peck.scope}</dd></div>}
        <div><dt>Expires</dt><dd><Time iso={peck.expires_at} /></dd></div>
      </dl>
      <ErrorNote error={act.error} />
      {denying ? (
        <form className="row" onSubmit={(e) => { e.preventDefault(); decide('deny'); }}>
          <Field label="Reason (optional, told to the requester)">{(id) => <input id={id} maxLength={280} value={reason} autoFocus onChange={(e) => setReason(e.target.value)} />}</Field>
          <Button type="submit" kind="danger" pending={act.pending}>Deny peck</Button>
          <Button kind="link" onClick={() => setDenying(false)}>Cancel</Button>
        </form>
      ) : (
        <div className="row">
          <Button pending={act.pending} onClick={() => decide('approve')}>Approve</Button>
          <Button kind="secondary" onClick={() => setDenying(true)}>Deny</Button>
        </div>
      )}
    </li>
  );
}

function SendPeck({ agents, onSent }: { agents: Agent[]; onSent: () => void }) {
  const [target, setTarget] = useState('');
  const [from, setFrom] = useState('');
  const [purpose, setPurpose] = useState('');
  const [action, setAction] = useState('');
  const [scope, setScope] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const t = target.trim();
    const targetField = t.includes('@') ? { target_email: t } : t.startsWith('sd_') ? { target_spaceduck_id: t } : { target_duckling_id: t };
    void act.run(async () => {
      const body = await api('POST', '/beak/peck', {
        idempotent: true,
        body: { ...targetField, ...(from && { requester_spaceduck_id: from }), ...(purpose.trim() && { purpose: purpose.trim() }), ...(action.trim() && { action: action.trim() }), ...(scope.trim() && { scope: scope.trim() }) },
      });
      setSent(body.message ?? 'Peck sent.');
      setTarget(''); setPurpose(''); setAction(''); setScope('');
      onSent();
    });
  };
  return (
    <Section title="Send a peck">
      <form className="form grid" onSubmit={submit}>
        <Field label="To" hint="An email address, a duckling id (dk_…) or a Space Duck id (sd_…)">
          {(id, h) => <input id={id} aria-describedby={h} required value={target} onChange={(e) => { setTarget(e.target.value); setSent(null); }} />}
        </Field>
        <Field label="From">
          {(id) => (
            <select id={id} value={from} onChange={(e) => setFrom(e.target.value)}>
              <option value="">You (operator)</option>
              {agents.map((a) => <option key={a.agent_id} value={a.agent_id}>{a.agent_name}</option>)}
            </select>
          )}
        </Field>
        <Field label="Purpose" hint="Shown to the target. Keep it clear and honest.">{(id, h) => <input id={id} aria-describedby={h} maxLength={280} value={purpose} onChange={(e) => setPurpose(e.target.value)} />}</Field>
        <Field label="Action (optional)" hint="e.g. read:profile">{(id, h) => <input id={id} aria-describedby={h} maxLength={64} value={action} onChange={(e) => setAction(e.target.value)} />}</Field>
        <Field label="Scope (optional)">{(id) => <input id={id} maxLength={256} value={scope} onChange={(e) => setScope(e.target.value)} />}</Field>
        <ErrorNote error={act.error} />
        {sent && <Notice>{sent}</Notice>}
        <div className="row span"><Button type="submit" pending={act.pending}>Send peck</Button></div>
      </form>
    </Section>
  );
}

/** My pecks still waiting for their target's answer. */
function Sent() {
  const sent = useLoad((signal) => api<{ pecks: Peck[] }>('GET', '/beak/peck/history?direction=sent&status=pending&limit=50', { signal }).then((b) => b.pecks));
  return (
    <Section title="Sent, waiting for an answer">
      <ErrorNote error={sent.error} />
      {sent.loading && !sent.data ? <Loading what="Loading sent pecks" /> : !sent.data?.length ? <Empty>No pecks waiting for an answer.</Empty> : (
        <ul className="plain">
          {sent.data.map((p) => (
            <li key={p.peck_id} data-sent-peck={p.peck_id}>
              To <strong>{p.target_email ?? p.target_id}</strong>{p.purpose && <> — {p.purpose}</>} <small className="muted">expires <Time iso={p.expires_at} /></small>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function History() {
  const [direction, setDirection] = useState('');
  const [status, setStatus] = useState('');
  const [extra, setExtra] = useState<{ pecks: Peck[]; next: string | null } | null>(null);
  const query = (cursor?: string) => `/beak/peck/history?limit=25${direction ? `&direction=${direction}` : ''}${status ? `&status=${status}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const first = useLoad((signal) => { setExtra(null); return api<{ pecks: Peck[]; next_cursor: string | null }>('GET', query(), { signal }); }, [direction, status]);
  const page = useAction();
  const rows = [...(first.data?.pecks ?? []), ...(extra?.pecks ?? [])];
  const next = extra ? extra.next : first.data?.next_cursor;
  return (
    <Section title="History" actions={
      <>
        <Field label="Direction">
          {(id) => <select id={id} value={direction} onChange={(e) => setDirection(e.target.value)}><option value="">Sent and received</option><option value="sent">Sent</option><option value="received">Received</option></select>}
        </Field>
        <Field label="Status">
          {(id) => <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}><option value="">Any</option>{Object.keys(STATUS_TONE).map((s) => <option key={s}>{s}</option>)}</select>}
        </Field>
      </>
    }>
      <ErrorNote error={first.error ?? page.error} />
      {first.loading && !first.data ? <Loading what="Loading history" /> : rows.length === 0 ? <Empty>No pecks{direction ? ` ${direction}` : ''}{status ? ` with status ${status}` : ''} yet.</Empty> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Peck</th><th scope="col">With</th><th scope="col">Purpose</th><th scope="col">Status</th><th scope="col">Sent</th><th scope="col">Decided</th></tr></thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.peck_id} data-peck={p.peck_id} data-status={p.status}>
                  <th scope="row">{p.direction === 'sent' ? 'Sent' : 'Received'}<small className="id">{p.peck_id}</small></th>
                  <td>{p.direction === 'sent' ? (p.target_email ?? p.target_id) : p.requester_id}</td>
                  <td>{p.purpose || '—'}{p.reason && <small className="id">Reason: {p.reason}</small>}</td>
                  <td><Badge tone={STATUS_TONE[p.status] ?? 'idle'}>{p.status}</Badge></td>
                  <td><Time iso={p.created_at} /></td>
                  <td><Time iso={p.decided_at} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager next={next} pending={page.pending} onMore={() => void page.run(async () => {
        const b = await api<{ pecks: Peck[]; next_cursor: string | null }>('GET', query(next!));
        setExtra({ pecks: [...(extra?.pecks ?? []), ...b.pecks], next: b.next_cursor });
      })} />
    </Section>
  );
}
