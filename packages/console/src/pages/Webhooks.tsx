// Webhooks: endpoints (the signing secret shown once), the tester that sends a sample event and
// shows what the receiver answered, and each endpoint's delivery log with replay.
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { Badge, Button, ConfirmButton, Empty, ErrorNote, Field, Loading, Notice, Page, Pager, SecretOnce, Section, Time, useAction, useLoad } from '../ui';

export const EVENTS = [
  'duckling.hatched', 'duckling.verified', 'agent.registered', 'agent.bonded', 'agent.deregistered', 'agent.inactive',
  'peck.sent', 'peck.received', 'peck.approved', 'peck.rejected', 'peck.expired', 'bond.created', 'bond.removed',
  'cert.issued', 'cert.revoked', 'trust.elevated', 'key.rotated',
];

interface Endpoint {
  webhook_id: string; url: string; events: string[]; description: string | null; status: 'enabled' | 'disabled';
  disabled_reason: string | null; failing_since: string | null; previous_secret_expires_at: string | null; created_at: string;
}
interface Attempt {
  attempt_id: string; event_id: string; event_type: string; ok: boolean; status_code: number | null; duration_ms: number;
  response_excerpt: string | null; error: string | null; created_at: string; delivery_status?: string; next_attempt_at?: string | null;
}

export function Webhooks() {
  const list = useLoad((signal) => api<{ webhooks: Endpoint[] }>('GET', '/beak/webhooks?limit=100', { signal }).then((b) => b.webhooks));
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  return (
    <Page title="Webhooks" intro="Space Duck pushes signed events (Standard Webhooks) to your endpoints: hatching, agents, pecks, bonds, certificates, key rotations."
      actions={!creating && <Button onClick={() => setCreating(true)}>Add an endpoint</Button>}>
      {secret && <SecretOnce title={secret.title} secrets={[{ label: 'Signing secret', value: secret.value }]} onDone={() => setSecret(null)}>
        <p>Verify each delivery's <code>webhook-signature</code> header with this secret (any Standard Webhooks library does it).</p>
      </SecretOnce>}
      {creating && <CreateEndpoint onCancel={() => setCreating(false)} onCreated={(b) => { setCreating(false); setSecret({ title: `Endpoint ${b.url} added`, value: b.secret }); list.reload(); }} />}
      <ErrorNote error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading endpoints" /> : !list.data?.length ? (
        <Section title="Endpoints"><Empty>No endpoints yet. Add one to receive events as they happen; then try it with the tester.</Empty></Section>
      ) : list.data.map((w) => (
        <EndpointCard key={w.webhook_id} w={w} onChanged={list.reload} onSecret={(value) => setSecret({ title: `New secret for ${w.url}`, value })} />
      ))}
    </Page>
  );
}

function EventPicker({ value, onChange }: { value: string[]; onChange: (v: string[]) => void }) {
  const all = value.includes('*');
  const toggle = (e: string) => onChange(value.includes(e) ? value.filter((x) => x !== e) : [...value.filter((x) => x !== '*'), e]);
  return (
    <fieldset className="events span">
      <legend>Events</legend>
      <label className="check"><input type="checkbox" checked={all} onChange={() => onChange(all ? [] : ['*'])} /> All events, including ones added later</label>
      <div className="event-grid">
        {EVENTS.map((e) => (
          <label className="check" key={e}><input type="checkbox" disabled={all} checked={all || value.includes(e)} onChange={() => toggle(e)} /> <code>{e}</code></label>
        ))}
      </div>
    </fieldset>
  );
}

function CreateEndpoint({ onCreated, onCancel }: { onCreated: (b: any) => void; onCancel: () => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>(['*']);
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!events.length) return act.setError(new Error('Pick at least one event.'));
    void act.run(async () => onCreated(await api('POST', '/beak/webhooks', { idempotent: true, body: { url: url.trim(), events, ...(description.trim() && { description: description.trim() }) } })));
  };
  return (
    <Section title="Add an endpoint">
      <form className="form grid" onSubmit={submit}>
        <Field label="URL" hint="https://… — your receiver">{(id, h) => <input id={id} aria-describedby={h} type="url" required maxLength={2048} value={url} autoFocus onChange={(e) => setUrl(e.target.value)} />}</Field>
        <Field label="Description (optional)">{(id) => <input id={id} maxLength={256} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
        <EventPicker value={events} onChange={setEvents} />
        <ErrorNote error={act.error} />
        <div className="row span">
          <Button type="submit" pending={act.pending}>Add endpoint</Button>
          <Button kind="link" onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </Section>
  );
}

function EndpointCard({ w, onChanged, onSecret }: { w: Endpoint; onChanged: () => void; onSecret: (s: string) => void }) {
  const act = useAction();
  const [editing, setEditing] = useState(false);
  const [events, setEvents] = useState(w.events);
  const [logTick, setLogTick] = useState(0);
  const patch = (body: object) => void act.run(async () => { await api('PATCH', `/beak/webhooks/${w.webhook_id}`, { body }); setEditing(false); onChanged(); });
  return (
    <Section title={w.url} id={w.webhook_id} actions={<Badge tone={w.status === 'enabled' ? 'ok' : 'idle'}>{w.status}</Badge>}>
      <div data-webhook={w.webhook_id}>
        {w.description && <p>{w.description}</p>}
        {w.disabled_reason && <Notice tone="warn">Disabled: {w.disabled_reason}</Notice>}
        {w.failing_since && <Notice tone="warn">Failing since <Time iso={w.failing_since} />.</Notice>}
        <p className="muted">Events: {w.events.includes('*') ? 'all' : w.events.join(', ')} · <code>{w.webhook_id}</code> · added <Time iso={w.created_at} /></p>
        {editing && (
          <form className="form grid" onSubmit={(e) => { e.preventDefault(); if (events.length) patch({ events }); }}>
            <EventPicker value={events} onChange={setEvents} />
            <div className="row span"><Button type="submit" pending={act.pending}>Save events</Button><Button kind="link" onClick={() => setEditing(false)}>Cancel</Button></div>
          </form>
        )}
        <ErrorNote error={act.error} />
        <div className="row">
          <Button kind="secondary" pending={act.pending} onClick={() => patch({ status: w.status === 'enabled' ? 'disabled' : 'enabled' })}>{w.status === 'enabled' ? 'Disable' : 'Enable'}</Button>
          {!editing && <Button kind="secondary" onClick={() => { setEvents(w.events); setEditing(true); }}>Edit events</Button>}
          <ConfirmButton kind="secondary" label="Rotate secret" confirm="Rotate the signing secret" onConfirm={() => void act.run(async () => {
            const b = await api('POST', `/beak/webhooks/${w.webhook_id}/rotate-secret`, { body: {} });
            onSecret(b.secret); onChanged();
          })} />
          <ConfirmButton label="Delete" confirm="Delete endpoint" onConfirm={() => void act.run(async () => { await api('DELETE', `/beak/webhooks/${w.webhook_id}`); onChanged(); })} />
        </div>
        <Tester w={w} onSent={() => setLogTick((t) => t + 1)} />
        <details className="log">
          <summary>Delivery log</summary>
          <Deliveries key={logTick} w={w} />
        </details>
      </div>
    </Section>
  );
}

function Tester({ w, onSent }: { w: Endpoint; onSent: () => void }) {
  const [event, setEvent] = useState(w.events.find((e) => e !== '*') ?? 'agent.registered');
  const [result, setResult] = useState<Attempt | null>(null);
  const act = useAction();
  return (
    <form className="tester" onSubmit={(e) => {
      e.preventDefault();
      setResult(null);
      void act.run(async () => { setResult(await api<Attempt>('POST', `/beak/webhooks/${w.webhook_id}/test`, { body: { event_type: event } })); onSent(); });
    }}>
      <h3>Tester</h3>
      <div className="row">
        <Field label="Sample event">{(id) => <select id={id} value={event} onChange={(e) => setEvent(e.target.value)}>{EVENTS.map((e) => <option key={e}>{e}</option>)}</select>}</Field>
        <Button type="submit" pending={act.pending}>Send test event</Button>
      </div>
      <ErrorNote error={act.error} />
      {result && (
        <div className={`result ${result.ok ? 'ok' : 'bad'}`} role="status" data-test-result={result.ok ? 'ok' : 'failed'}>
          <strong>{result.ok ? 'Delivered' : 'Failed'}</strong>
          <span>Status <b data-status-code>{result.status_code ?? '—'}</b></span>
          <span>Latency <b>{result.duration_ms} ms</b></span>
          {result.error && <span>Error: {result.error}</span>}
          {result.response_excerpt && <pre className="snippet wrap">{result.response_excerpt}</pre>}
        </div>
      )}
    </form>
  );
}

function Deliveries({ w }: { w: Endpoint }) {
  const [status, setStatus] = useState('');
  const [extra, setExtra] = useState<{ rows: Attempt[]; next: string | null } | null>(null);
  const q = (cursor?: string) => `/beak/webhooks/${w.webhook_id}/deliveries?limit=25${status ? `&status=${status}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const first = useLoad((signal) => { setExtra(null); return api<{ deliveries: Attempt[]; next_cursor: string | null }>('GET', q(), { signal }); }, [status]);
  const act = useAction();
  const [replayed, setReplayed] = useState<string | null>(null);
  const rows = [...(first.data?.deliveries ?? []), ...(extra?.rows ?? [])];
  const next = extra ? extra.next : first.data?.next_cursor;
  return (
    <div>
      <div className="row">
        <Field label="Show">{(id) => <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}><option value="">All attempts</option><option value="succeeded">Succeeded</option><option value="failed">Failed</option></select>}</Field>
        <Button kind="link" onClick={first.reload}>Refresh</Button>
      </div>
      <ErrorNote error={first.error ?? act.error} />
      {replayed && <Notice>Event {replayed} queued for delivery again.</Notice>}
      {first.loading && !first.data ? <Loading what="Loading deliveries" /> : rows.length === 0 ? <Empty>No deliveries yet. Events appear here as they are sent; the tester's are included.</Empty> : (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Event</th><th scope="col">Result</th><th scope="col">Status</th><th scope="col">Latency</th><th scope="col">When</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.attempt_id} data-attempt={a.attempt_id}>
                  <th scope="row"><code>{a.event_type}</code><small className="id">{a.event_id}</small></th>
                  <td><Badge tone={a.ok ? 'ok' : 'bad'}>{a.ok ? 'succeeded' : 'failed'}</Badge>{a.delivery_status === 'pending' && a.next_attempt_at && <small className="id">retry <Time iso={a.next_attempt_at} /></small>}</td>
                  <td>{a.status_code ?? a.error ?? '—'}</td>
                  <td>{a.duration_ms} ms</td>
                  <td><Time iso={a.created_at} /></td>
                  <td><Button kind="secondary" onClick={() => void act.run(async () => { await api('POST', `/beak/webhooks/${w.webhook_id}/deliveries/${a.event_id}/replay`); setReplayed(a.event_id); })}>Replay</Button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager next={next} onMore={() => void act.run(async () => {
        const b = await api<{ deliveries: Attempt[]; next_cursor: string | null }>('GET', q(next!));
        setExtra({ rows: [...(extra?.rows ?? []), ...b.deliveries], next: b.next_cursor });
      })} />
    </div>
  );
}
