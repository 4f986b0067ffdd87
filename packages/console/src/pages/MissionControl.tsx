// Mission Control: the operator's Space Ducks with live liveness. The list comes from
// GET /beak/agent/list; GET /beak/agent/stream (SSE over fetch) then moves rows as pulses and
// liveness changes arrive, without a reload.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { setSession, updateSession, useSession } from '../lib/session';
import { openStream, type StreamState } from '../lib/sse';
import { Badge, Button, ConfirmButton, Empty, ErrorNote, Field, Loading, Meta, Notice, Page, SecretOnce, Section, Time, useAction, useLoad } from '../ui';
import { CodeInput } from './Auth';

export interface Agent {
  agent_id: string; spaceduck_id: string; agent_name: string; agent_type: string | null; capabilities: string[];
  parent_id: string | null; status: string; liveness: string; last_seen: string | null; last_status: string | null;
  meta: Record<string, unknown> | null; beak_key_preview?: string | null; beak_key?: string | null; created_at: string;
  provider?: string | null; model?: string | null;
}

const LIVENESS_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'idle'> = { active: 'ok', paused: 'warn', inactive: 'bad', terminated: 'idle', never: 'idle' };

export function Liveness({ value }: { value: string }) {
  return <Badge tone={LIVENESS_TONE[value] ?? 'idle'}>{value === 'never' ? 'never pulsed' : value}</Badge>;
}

/** Agents in spawn-tree order (each parent followed by its children), with their depth. */
function spawnTree(agents: Agent[]): { agent: Agent; depth: number }[] {
  const ids = new Set(agents.map((a) => a.agent_id));
  const children = new Map<string | null, Agent[]>();
  for (const a of agents) {
    const parent = a.parent_id && ids.has(a.parent_id) ? a.parent_id : null;
    children.set(parent, [...(children.get(parent) ?? []), a]);
  }
  const out: { agent: Agent; depth: number }[] = [];
  const walk = (parent: string | null, depth: number) => {
    for (const a of children.get(parent) ?? []) {
      out.push({ agent: a, depth });
      if (depth < 16) walk(a.agent_id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

const STREAM_LABEL: Record<StreamState, string> = { connecting: 'Connecting…', live: 'Live', retrying: 'Reconnecting…', unavailable: 'Live updates unavailable' };

export function MissionControl() {
  const session = useSession();
  const list = useLoad((signal) => api<{ agents: Agent[] }>('GET', '/beak/agent/list?limit=100', { signal }).then((b) => b.agents));
  const [stream, setStream] = useState<StreamState>('connecting');
  const [registering, setRegistering] = useState(false);
  const [created, setCreated] = useState<any>(null);
  const [, setTick] = useState(0);
  const act = useAction();
  const { setData, reload } = list;

  useEffect(() => {
    const handle = openStream('/beak/agent/stream', (m) => {
      let msg: any;
      try { msg = JSON.parse(m.data); } catch { return; }
      if (m.event === 'ready') return reload();
      const id = msg.agent_id ?? msg.spaceduck_id;
      if (!id) return;
      setData((agents = []) => {
        if (!agents.some((a) => a.agent_id === id)) { reload(); return agents; }
        return agents.map((a) => a.agent_id !== id ? a : m.event === 'pulse'
          ? { ...a, liveness: msg.liveness, last_seen: msg.last_seen, last_status: msg.status, meta: msg.meta ?? a.meta }
          : { ...a, liveness: msg.liveness });
      });
    }, setStream);
    // Relative times ("2 minutes ago") age while the page stays open.
    const timer = setInterval(() => setTick((t) => t + 1), 30_000);
    return () => { handle.close(); clearInterval(timer); };
  }, [setData, reload]);

  const agents = list.data ?? [];
  const counts = useMemo(() => {
    const c = { total: agents.length, active: 0, paused: 0, inactive: 0 };
    for (const a of agents) {
      if (a.liveness === 'active') c.active++;
      else if (a.liveness === 'paused') c.paused++;
      else c.inactive++;
    }
    return c;
  }, [agents]);

  const deregister = (a: Agent) => void act.run(async () => {
    await api('POST', '/beak/agent/deregister', { body: { agent_id: a.agent_id } });
    setData((all = []) => all.filter((x) => x.agent_id !== a.agent_id));
  });

  return (
    <Page title="Mission Control" actions={
      <>
        <span className={`live live-${stream}`} role="status" aria-live="polite"><span className="dot" aria-hidden="true" />{STREAM_LABEL[stream]}</span>
        {!registering && !created && <Button onClick={() => setRegistering(true)}>Register a Space Duck</Button>}
      </>
    }>
      {session?.trust_tier === 'T0' && <VerifyEmail />}
      <dl className="stats" aria-label="Space Ducks by liveness">
        <div><dt>Space Ducks</dt><dd data-count="total">{counts.total}</dd></div>
        <div className="ok"><dt>Active</dt><dd data-count="active">{counts.active}</dd></div>
        <div className="warn"><dt>Paused</dt><dd data-count="paused">{counts.paused}</dd></div>
        <div className="bad"><dt>Inactive</dt><dd data-count="inactive">{counts.inactive}</dd></div>
      </dl>

      {created && (
        <SecretOnce title={`${created.agent_name} is registered`} onDone={() => setCreated(null)}
          secrets={[{ label: 'Beak Key', value: created.beak_key }, { label: 'Handshake token', value: created.handshake_token }]}>
          <p>Give both to the agent <code>{created.agent_id}</code>. It bonds once with the handshake token (valid 24 h), then pulses with its key:</p>
          <pre className="snippet">{`curl -X POST ${location.origin}/beak/agent/bond -H "Authorization: Bearer $BEAK_KEY" \\
  -H 'content-type: application/json' -d '{"agent_id":"${created.agent_id}","handshake_token":"$HANDSHAKE_TOKEN"}'
curl -X POST ${location.origin}/beak/pulse -H "Authorization: Bearer $BEAK_KEY" \\
  -H 'content-type: application/json' -d '{"status":"active","meta":{"version":"1.0.0"}}'`}</pre>
        </SecretOnce>
      )}
      {registering && <RegisterAgent agents={agents} onCancel={() => setRegistering(false)} onCreated={(body) => { setRegistering(false); setCreated(body); reload(); }} />}

      <Section title="Space Ducks">
        <ErrorNote error={list.error ?? act.error} />
        {list.loading && !list.data ? <Loading what="Loading your Space Ducks" /> : agents.length === 0 ? (
          <Empty>No Space Ducks yet. <strong>Register one</strong> to give an agent its own Beak Key; it then sends a pulse every minute to show it is alive.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="agents">
              <thead><tr><th scope="col">Name</th><th scope="col">Liveness</th><th scope="col">Last seen</th><th scope="col">Last pulse</th><th scope="col">Key</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {spawnTree(agents).map(({ agent: a, depth }) => (
                  <tr key={a.agent_id} data-agent={a.agent_id} data-liveness={a.liveness}>
                    <th scope="row" className={`depth-${Math.min(depth, 6)}`}>
                      {depth > 0 && <span className="branch" aria-hidden="true">↳ </span>}
                      <span className="name">{a.agent_name}</span>
                      {depth > 0 && <span className="sr-only"> (spawned by {agents.find((p) => p.agent_id === a.parent_id)?.agent_name})</span>}
                      <small className="id">{a.agent_id}{a.agent_type ? ` · ${a.agent_type}` : ''}</small>
                    </th>
                    <td><Liveness value={a.liveness} /></td>
                    <td><Time iso={a.last_seen} empty="never" /></td>
                    <td>{a.last_status && <span className="muted">{a.last_status} </span>}<Meta meta={a.meta} /></td>
                    <td><code>{a.beak_key_preview ?? a.beak_key ?? '—'}</code></td>
                    <td>{a.status}</td>
                    <td><ConfirmButton label="Deregister" confirm={`Deregister ${a.agent_name}`} onConfirm={() => deregister(a)} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </Page>
  );
}

function RegisterAgent({ agents, onCreated, onCancel }: { agents: Agent[]; onCreated: (body: any) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState('');
  const [caps, setCaps] = useState('');
  const [parent, setParent] = useState('');
  const [provider, setProvider] = useState('');
  const [model, setModel] = useState('');
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      const capabilities = caps.split(',').map((c) => c.trim()).filter(Boolean);
      const body = await api('POST', '/beak/agent/register', {
        idempotent: true,
        body: {
          agent_name: name.trim(), ...(type.trim() && { agent_type: type.trim() }), ...(capabilities.length && { capabilities }),
          ...(parent && { parent_id: parent }), ...(provider.trim() && { provider: provider.trim() }), ...(model.trim() && { model: model.trim() }),
        },
      });
      onCreated(body);
    });
  };
  return (
    <Section title="Register a Space Duck">
      <form className="form grid" onSubmit={submit}>
        <Field label="Name">{(id) => <input id={id} required maxLength={64} value={name} autoFocus onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label="Type (optional)" hint="e.g. assistant, BOT">{(id, h) => <input id={id} aria-describedby={h} maxLength={32} value={type} onChange={(e) => setType(e.target.value)} />}</Field>
        <Field label="Capabilities (optional)" hint="Comma-separated, e.g. search, code">{(id, h) => <input id={id} aria-describedby={h} value={caps} onChange={(e) => setCaps(e.target.value)} />}</Field>
        <Field label="Spawned by (optional)">
          {(id) => (
            <select id={id} value={parent} onChange={(e) => setParent(e.target.value)}>
              <option value="">— none (top level) —</option>
              {agents.map((a) => <option key={a.agent_id} value={a.agent_id}>{a.agent_name}</option>)}
            </select>
          )}
        </Field>
        <Field label="Provider (optional)">{(id) => <input id={id} maxLength={64} value={provider} onChange={(e) => setProvider(e.target.value)} />}</Field>
        <Field label="Model (optional)">{(id) => <input id={id} maxLength={64} value={model} onChange={(e) => setModel(e.target.value)} />}</Field>
        <ErrorNote error={act.error} />
        <div className="row span">
          <Button type="submit" pending={act.pending}>Register</Button>
          <Button kind="link" onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </Section>
  );
}

/** A T0 duckling signed in before verifying: verify here and receive the first Beak Key. */
function VerifyEmail() {
  const session = useSession();
  const [code, setCode] = useState('');
  const [key, setKey] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const act = useAction();
  if (key) return <SecretOnce title="Email verified: your Beak Key" secrets={[{ label: 'Beak Key', value: key }]} onDone={() => setKey(null)} />;
  return (
    <Section title="Verify your email">
      <p>Your account is at trust tier T0. Enter the code we emailed to {session?.email} to reach T1 and receive your birth certificate and Beak Key.</p>
      <form className="form" onSubmit={(e) => {
        e.preventDefault();
        void act.run(async () => {
          const body = await api('POST', '/beak/verify-email', { body: { otp: code } });
          if (body.access_token) setSession(body); else updateSession({ trust_tier: body.trust_tier ?? 'T1' });
          if (body.beak_key) setKey(body.beak_key);
        });
      }}>
        <CodeInput value={code} onChange={setCode} />
        <ErrorNote error={act.error} />
        {sent && <Notice>A new code is on its way.</Notice>}
        <div className="row">
          <Button type="submit" pending={act.pending}>Verify</Button>
          <Button kind="link" onClick={() => void act.run(async () => { await api('POST', '/beak/verify/resend', { body: { email: session?.email } }); setSent(true); })}>Send a new code</Button>
        </div>
      </form>
    </Section>
  );
}
