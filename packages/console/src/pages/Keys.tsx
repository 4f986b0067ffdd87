// The Beak Key Manager: every key of the operator and its agents (masked), with create, rotate
// (optionally keeping the old key alive for a grace period) and revoke. New keys are shown once.
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { useSession } from '../lib/session';
import { Badge, Button, ConfirmButton, Empty, ErrorNote, Field, Loading, Page, Pager, SecretOnce, Section, Time, useAction, useLoad } from '../ui';
import type { Agent } from './MissionControl';

interface Key {
  key_id: string; owner_type: 'duckling' | 'agent'; owner_id: string; name: string | null; preview: string; primary?: boolean;
  created_at: string; expires_at: string; last_used_at: string | null; status: string; grace_until?: string | null;
}

const STATUS_TONE: Record<string, 'ok' | 'warn' | 'bad' | 'idle'> = { active: 'ok', rotated: 'warn', expired: 'idle', revoked: 'bad' };
const GRACE: [number, string][] = [[0, 'Stop working immediately'], [300, 'Keep working for 5 minutes'], [3600, 'Keep working for 1 hour'], [86400, 'Keep working for 24 hours']];

export function Keys() {
  const session = useSession();
  const [status, setStatus] = useState('');
  const [more, setMore] = useState<{ keys: Key[]; next: string | null } | null>(null);
  const keys = useLoad(async (signal) => {
    setMore(null);
    return api<{ keys: Key[]; next_cursor: string | null }>('GET', `/beak/keys?limit=100${status ? `&status=${status}` : ''}`, { signal });
  }, [status]);
  const agents = useLoad((signal) => api<{ agents: Agent[] }>('GET', '/beak/agent/list?limit=100', { signal }).then((b) => b.agents).catch(() => [] as Agent[]));
  const [shown, setShown] = useState<{ title: string; key: string } | null>(null);
  const [rotating, setRotating] = useState<Key | null>(null);
  const [creating, setCreating] = useState(false);
  const act = useAction();
  const page = useAction();

  const all = [...(keys.data?.keys ?? []), ...(more?.keys ?? [])];
  const next = more ? more.next : keys.data?.next_cursor;
  const ownerName = (k: Key) => k.owner_type === 'duckling'
    ? (k.owner_id === session?.duckling_id ? 'You' : k.owner_id)
    : agents.data?.find((a) => a.agent_id === k.owner_id)?.agent_name ?? k.owner_id;

  const revoke = (k: Key) => void act.run(async () => {
    await api('DELETE', `/beak/keys/${encodeURIComponent(k.key_id)}`);
    keys.reload();
  });
  const loadMore = () => void page.run(async () => {
    const b = await api<{ keys: Key[]; next_cursor: string | null }>('GET', `/beak/keys?limit=100&cursor=${encodeURIComponent(next!)}${status ? `&status=${status}` : ''}`);
    setMore({ keys: [...(more?.keys ?? []), ...b.keys], next: b.next_cursor });
  });

  return (
    <Page title="Beak Keys" intro="Long-lived API credentials of you and your Space Ducks. Only a masked preview is kept; a key is shown in full once, when it is created or rotated."
      actions={!creating && <Button onClick={() => setCreating(true)}>Create a key</Button>}>
      {shown && <SecretOnce title={shown.title} secrets={[{ label: 'Beak Key', value: shown.key }]} onDone={() => setShown(null)} />}
      {creating && <CreateKey agents={agents.data ?? []} onCancel={() => setCreating(false)} onCreated={(b) => { setCreating(false); setShown({ title: `New key${b.name ? ` “${b.name}”` : ''}`, key: b.beak_key }); keys.reload(); }} />}
      {rotating && <RotateKey k={rotating} owner={ownerName(rotating)} onCancel={() => setRotating(null)} onRotated={(b) => { setRotating(null); setShown({ title: `Rotated: the new key of ${ownerName(rotating)}`, key: b.new_beak_key ?? b.beak_key }); keys.reload(); }} />}

      <Section title="Keys" actions={
        <Field label="Show">
          {(id) => (
            <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">All keys</option>
              {Object.keys(STATUS_TONE).map((s) => <option key={s} value={s}>{s[0]!.toUpperCase() + s.slice(1)}</option>)}
            </select>
          )}
        </Field>
      }>
        <ErrorNote error={keys.error ?? act.error ?? page.error} />
        {keys.loading && !keys.data ? <Loading what="Loading keys" /> : all.length === 0 ? (
          <Empty>{status ? `No ${status} keys.` : 'No keys yet. Create one for a script or a Space Duck.'}</Empty>
        ) : (
          <div className="table-wrap">
            <table>
              <thead><tr><th scope="col">Key</th><th scope="col">Owner</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
              <tbody>
                {all.map((k) => (
                  <tr key={k.key_id} data-key={k.key_id} data-status={k.status}>
                    <th scope="row"><code>{k.preview}</code> {k.primary && <Badge tone="info">primary</Badge>}<small className="id">{k.name ?? k.key_id}</small></th>
                    <td>{ownerName(k)}<small className="id">{k.owner_type}</small></td>
                    <td><Time iso={k.created_at} /></td>
                    <td><Time iso={k.expires_at} /></td>
                    <td><Time iso={k.last_used_at} empty="never" /></td>
                    <td><Badge tone={STATUS_TONE[k.status] ?? 'idle'}>{k.status}</Badge>{k.grace_until && k.status !== 'revoked' && <small className="id">works until <Time iso={k.grace_until} /></small>}</td>
                    <td className="actions">
                      {k.status === 'active' && k.primary && <Button kind="secondary" onClick={() => setRotating(k)}>Rotate</Button>}
                      {(k.status === 'active' || k.status === 'rotated') && <ConfirmButton label="Revoke" confirm="Revoke now" onConfirm={() => revoke(k)} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager next={next} onMore={loadMore} pending={page.pending} />
      </Section>
    </Page>
  );
}

function CreateKey({ agents, onCreated, onCancel }: { agents: Agent[]; onCreated: (b: any) => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [owner, setOwner] = useState('');
  const [days, setDays] = useState('90');
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => onCreated(await api('POST', '/beak/keys', {
      idempotent: true, body: { ...(name.trim() && { name: name.trim() }), ...(owner && { agent_id: owner }), expires_in_days: Number(days) },
    })));
  };
  return (
    <Section title="Create a key">
      <form className="form grid" onSubmit={submit}>
        <Field label="Name (optional)" hint="What uses it, e.g. ci-deploy">{(id, h) => <input id={id} aria-describedby={h} maxLength={64} value={name} autoFocus onChange={(e) => setName(e.target.value)} />}</Field>
        <Field label="Owner">
          {(id) => (
            <select id={id} value={owner} onChange={(e) => setOwner(e.target.value)}>
              <option value="">You (operator)</option>
              {agents.map((a) => <option key={a.agent_id} value={a.agent_id}>{a.agent_name}</option>)}
            </select>
          )}
        </Field>
        <Field label="Expires after (days)" hint="1–365">{(id, h) => <input id={id} aria-describedby={h} type="number" min={1} max={365} required value={days} onChange={(e) => setDays(e.target.value)} />}</Field>
        <ErrorNote error={act.error} />
        <div className="row span">
          <Button type="submit" pending={act.pending}>Create key</Button>
          <Button kind="link" onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </Section>
  );
}

function RotateKey({ k, owner, onRotated, onCancel }: { k: Key; owner: string; onRotated: (b: any) => void; onCancel: () => void }) {
  const [grace, setGrace] = useState(0);
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => onRotated(await api('POST', '/beak/rotate', {
      body: { ...(k.owner_type === 'agent' ? { agent_id: k.owner_id } : { duckling_id: k.owner_id }), grace_seconds: grace },
    })));
  };
  return (
    <Section title={`Rotate the primary key of ${owner}`}>
      <form className="form" onSubmit={submit}>
        <p>A new key replaces <code>{k.preview}</code>. Update everything that uses the old key.</p>
        <Field label="The old key">
          {(id) => (
            <select id={id} value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
              {GRACE.map(([s, label]) => <option key={s} value={s}>{label}</option>)}
            </select>
          )}
        </Field>
        <ErrorNote error={act.error} />
        <div className="row">
          <Button type="submit" pending={act.pending}>Rotate key</Button>
          <Button kind="link" onClick={onCancel}>Cancel</Button>
        </div>
      </form>
    </Section>
  );
}
