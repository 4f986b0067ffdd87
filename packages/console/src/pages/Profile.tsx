// Profile & security: display name, bio and directory visibility; passkeys (add, remove); trust
// elevation to T2 by proving a phone number.
import { useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { Link } from '../lib/router';
import { updateSession } from '../lib/session';
import { createPasskey, passkeysSupported } from '../lib/webauthn';
import { Badge, Button, ConfirmButton, Empty, ErrorNote, Field, Loading, Notice, Page, Section, Time, useAction, useLoad } from '../ui';
import { CodeInput } from './Auth';

interface Profile {
  duckling_id: string; email: string; display_name: string; bio: string | null; trust_tier: string; cert_id: string | null;
  cert_status: string; egg_count: number; email_verified: boolean; phone: string | null; phone_verified: boolean;
  directory_visible: boolean; next_name_change_at: string | null; created_at: string;
}
interface Passkey { passkey_id: string; name: string | null; device_type: string | null; backed_up: boolean; created_at: string; last_used_at: string | null }

export function Profile() {
  const profile = useLoad((signal) => api<Profile>('GET', '/beak/profile', { signal }));
  const p = profile.data;
  return (
    <Page title="Profile & security">
      <ErrorNote error={profile.error} />
      {profile.loading && !p ? <Loading what="Loading your profile" /> : p && (
        <>
          <Section title="Account" actions={<Badge tone="info">{p.trust_tier}</Badge>}>
            <dl className="kv">
              <div><dt>Email</dt><dd>{p.email} {p.email_verified ? <Badge tone="ok">verified</Badge> : <Badge tone="warn">not verified</Badge>}</dd></div>
              <div><dt>Duckling id</dt><dd><code>{p.duckling_id}</code></dd></div>
              <div><dt>Certificate</dt><dd>{p.cert_id ? <Link to="/certificate">{p.cert_id}</Link> : '—'} <span className="muted">({p.cert_status})</span></dd></div>
              <div><dt>Space Ducks</dt><dd>{p.egg_count}</dd></div>
              <div><dt>Member since</dt><dd><Time iso={p.created_at} /></dd></div>
            </dl>
          </Section>
          <EditProfile p={p} onSaved={(np) => { profile.setData(() => np); updateSession({ display_name: np.display_name }); }} />
          <Passkeys />
          <Elevate p={p} onElevated={() => profile.reload()} />
        </>
      )}
    </Page>
  );
}

function EditProfile({ p, onSaved }: { p: Profile; onSaved: (p: Profile) => void }) {
  const [name, setName] = useState(p.display_name);
  const [bio, setBio] = useState(p.bio ?? '');
  const [visible, setVisible] = useState(p.directory_visible);
  const [saved, setSaved] = useState(false);
  const act = useAction();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body: Record<string, unknown> = {};
    if (name.trim() !== p.display_name) body.display_name = name.trim();
    if (bio !== (p.bio ?? '')) body.bio = bio || null;
    if (visible !== p.directory_visible) body.directory_visible = visible;
    if (!Object.keys(body).length) return setSaved(true);
    void act.run(async () => { onSaved(await api<Profile>('POST', '/beak/profile/update', { body })); setSaved(true); });
  };
  return (
    <Section title="Public profile">
      <form className="form" onSubmit={submit}>
        <Field label="Display name" hint={p.next_name_change_at ? <>You can change it again <Time iso={p.next_name_change_at} />.</> : 'Can be changed once every 30 days.'}>
          {(id, h) => <input id={id} aria-describedby={h} minLength={3} maxLength={32} required value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Bio (optional)" hint="Shown in the directory.">{(id, h) => <textarea id={id} aria-describedby={h} maxLength={280} rows={3} value={bio} onChange={(e) => setBio(e.target.value)} />}</Field>
        <label className="check"><input type="checkbox" checked={visible} onChange={(e) => setVisible(e.target.checked)} /> List me in the public directory</label>
        <ErrorNote error={act.error} />
        {saved && <Notice>Saved.</Notice>}
        <div className="row"><Button type="submit" pending={act.pending}>Save profile</Button></div>
      </form>
    </Section>
  );
}

function Passkeys() {
  const list = useLoad((signal) => api<{ passkeys: Passkey[] }>('GET', '/beak/passkeys', { signal }).then((b) => b.passkeys));
  const [name, setName] = useState('');
  const act = useAction();
  const add = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      const { options } = await api('POST', '/beak/passkey/register', { body: {} });
      const credential = await createPasskey(options);
      await api('POST', '/beak/passkey/register/verify', { body: { credential, ...(name.trim() && { name: name.trim() }) } });
      setName('');
      list.reload();
    });
  };
  return (
    <Section title="Passkeys">
      <p>Sign in with your device's screen lock or a security key instead of a password.</p>
      <ErrorNote error={list.error ?? act.error} />
      {list.loading && !list.data ? <Loading what="Loading passkeys" /> : !list.data?.length ? <Empty>No passkeys yet.</Empty> : (
        <ul className="plain">
          {list.data.map((k) => (
            <li key={k.passkey_id} className="row" data-passkey={k.passkey_id}>
              <span><strong>{k.name ?? 'Passkey'}</strong> <small className="muted">added <Time iso={k.created_at} /> · last used <Time iso={k.last_used_at} empty="never" />{k.backed_up ? ' · synced' : ''}</small></span>
              <ConfirmButton label="Remove" confirm="Remove passkey" onConfirm={() => void act.run(async () => { await api('DELETE', `/beak/passkeys/${encodeURIComponent(k.passkey_id)}`); list.reload(); })} />
            </li>
          ))}
        </ul>
      )}
      {passkeysSupported() ? (
        <form className="row" onSubmit={add}>
          <Field label="Name (optional)">{(id) => <input id={id} maxLength={64} placeholder="e.g. Laptop" value={name} onChange={(e) => setName(e.target.value)} />}</Field>
          <Button type="submit" pending={act.pending}>Add a passkey</Button>
        </form>
      ) : <Notice tone="warn">This browser does not support passkeys.</Notice>}
    </Section>
  );
}

function Elevate({ p, onElevated }: { p: Profile; onElevated: () => void }) {
  const [phone, setPhone] = useState(p.phone ?? '');
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const act = useAction();
  if (p.phone_verified || p.trust_tier === 'T2' || p.trust_tier === 'T3') {
    return <Section title="Trust tier"><p>Your phone is verified. Trust tier <strong>{p.trust_tier}</strong>.</p></Section>;
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      if (!sent) { await api('PUT', '/beak/trust/elevate', { body: { phone } }); setSent(true); return; }
      const b = await api('PUT', '/beak/trust/elevate', { body: { phone, otp: code } });
      updateSession({ trust_tier: b.trust_tier });
      setDone(b.message ?? `You are now ${b.trust_tier}.`);
      onElevated();
    });
  };
  return (
    <Section title="Raise your trust tier to T2">
      <p>Prove a phone number to reach T2: higher rate limits, and a new birth certificate stating T2.</p>
      {done ? <Notice>{done}</Notice> : (
        <form className="form" onSubmit={submit}>
          <Field label="Phone number" hint="International format, e.g. +14155550123">
            {(id, h) => <input id={id} aria-describedby={h} type="tel" autoComplete="tel" required pattern="\+[1-9]\d{6,14}" value={phone} onChange={(e) => { setPhone(e.target.value); setSent(false); }} />}
          </Field>
          {sent && <CodeInput label="Code from the text message" value={code} onChange={setCode} />}
          <ErrorNote error={act.error} />
          <div className="row"><Button type="submit" pending={act.pending}>{sent ? 'Verify phone' : 'Text me a code'}</Button></div>
        </form>
      )}
    </Section>
  );
}
