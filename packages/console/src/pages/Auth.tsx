// Hatching (sign-up → emailed code → the Beak Key shown once), signing in (password, emailed
// code or passkey) and password recovery.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../lib/api';
import { Link, navigate, useLocation } from '../lib/router';
import { getSession, setSession, takeSignedOutReason } from '../lib/session';
import { getPasskey, passkeysSupported } from '../lib/webauthn';
import { Button, ErrorNote, Field, Notice, Page, SecretOnce, useAction } from '../ui';

export function CodeInput({ value, onChange, label = 'Code from the email' }: { value: string; onChange: (v: string) => void; label?: string }) {
  return (
    <Field label={label} hint="6 digits, valid for 10 minutes.">
      {(id, hint) => (
        <input id={id} aria-describedby={hint} className="code" value={value} required inputMode="numeric" autoComplete="one-time-code"
          pattern="\d{6}" maxLength={6} onChange={(e) => onChange(e.target.value.replace(/\D/g, ''))} />
      )}
    </Field>
  );
}

function EmailField({ value, onChange, autoFocus }: { value: string; onChange: (v: string) => void; autoFocus?: boolean }) {
  return (
    <Field label="Email">
      {(id) => <input id={id} type="email" autoComplete="email" required value={value} autoFocus={autoFocus} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

interface Welcome { beak_key: string; cert_id: string; display_name: string }

export function Hatch() {
  const [step, setStep] = useState<'form' | 'code' | 'welcome'>('form');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [welcome, setWelcome] = useState<Welcome | null>(null);
  const [resent, setResent] = useState(false);
  const act = useAction();

  const signup = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      await api('POST', '/beak/signup', { auth: false, idempotent: true, body: { email, ...(password ? { password } : {}), ...(name.trim() ? { display_name: name.trim() } : {}) } });
      setStep('code');
    });
  };
  const verify = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      const body = await api('POST', '/beak/verify', { auth: false, body: { email, code } });
      setSession(body);
      setWelcome({ beak_key: body.beak_key, cert_id: body.cert_id, display_name: body.display_name });
      setStep('welcome');
    });
  };
  const resend = () => void act.run(async () => {
    await api('POST', '/beak/verify/resend', { auth: false, body: { email } });
    setResent(true);
  });

  if (step === 'welcome' && welcome) {
    return (
      <Page title={`Welcome, ${welcome.display_name}`}>
        <SecretOnce title="Your Beak Key" secrets={[{ label: 'Beak Key', value: welcome.beak_key }]} doneLabel="Continue to Mission Control" onDone={() => { setWelcome(null); navigate('/'); }}>
          <p>Your email is verified (trust tier T1) and your birth certificate <Link to={`/cert/${welcome.cert_id}`}>{welcome.cert_id}</Link> is issued.
            Agents and scripts authenticate with this Beak Key (<code>Authorization: Bearer bk_…</code>).</p>
        </SecretOnce>
      </Page>
    );
  }
  if (step === 'code') {
    return (
      <Page title="Check your email" intro={<>We sent a 6-digit code to <strong>{email}</strong>. Enter it to verify your address.</>}>
        <form className="card form" onSubmit={verify}>
          <CodeInput value={code} onChange={setCode} />
          <ErrorNote error={act.error} />
          {resent && <Notice>If the account is waiting for verification, a new code is on its way.</Notice>}
          <div className="row">
            <Button type="submit" pending={act.pending}>Verify and hatch</Button>
            <Button kind="link" onClick={resend}>Send a new code</Button>
            <Button kind="link" onClick={() => { setStep('form'); act.setError(null); }}>Use another email</Button>
          </div>
        </form>
      </Page>
    );
  }
  return (
    <Page title="Hatch a duckling" intro="Create your operator account. You will get a birth certificate and your first Beak Key.">
      <form className="card form" onSubmit={signup}>
        <EmailField value={email} onChange={setEmail} autoFocus />
        <Field label="Display name (optional)" hint="3–32 letters, digits, spaces, _ or -. Derived from your email when empty.">
          {(id, hint) => <input id={id} aria-describedby={hint} value={name} maxLength={32} autoComplete="nickname" onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Password (optional)" hint="At least 8 characters. Leave empty to sign in with emailed codes or a passkey only.">
          {(id, hint) => <input id={id} aria-describedby={hint} type="password" value={password} minLength={8} autoComplete="new-password" onChange={(e) => setPassword(e.target.value)} />}
        </Field>
        <ErrorNote error={act.error} />
        <div className="row">
          <Button type="submit" pending={act.pending}>Hatch</Button>
          <span>Already hatched? <Link to="/signin">Sign in</Link></span>
        </div>
      </form>
    </Page>
  );
}

type Mode = 'password' | 'code' | 'passkey';

export function SignIn() {
  const loc = useLocation();
  const next = loc.searchParams.get('next');
  const [reason] = useState(() => takeSignedOutReason());
  const [mode, setMode] = useState<Mode>('password');
  const [email, setEmail] = useState(loc.searchParams.get('email') ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [codeSent, setCodeSent] = useState(false);
  const act = useAction();

  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
  const done = (body: any) => {
    setSession(body);
    navigate(target, { replace: true });
  };
  // Already signed in (e.g. the back button): nothing to do here.
  useEffect(() => { if (getSession()) navigate(target, { replace: true }); }, [target]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      if (mode === 'password') return done(await api('POST', '/beak/signin', { auth: false, body: { email, password } }));
      if (!codeSent) {
        await api('POST', '/beak/signin', { auth: false, body: { email } });
        setCodeSent(true);
        return;
      }
      done(await api('POST', '/beak/signin', { auth: false, body: { email, otp: code } }));
    });
  };
  const passkey = () => void act.run(async () => {
    const { options } = await api('POST', '/beak/passkey/login', { auth: false, body: {} });
    const credential = await getPasskey(options);
    done(await api('POST', '/beak/passkey/login', { auth: false, body: { credential } }));
  });

  const modes: [Mode, string][] = [['password', 'Password'], ['code', 'Emailed code'], ['passkey', 'Passkey']];
  return (
    <Page title="Sign in" intro="Sign in to Mission Control to manage your Space Ducks, keys and bonds.">
      {reason && <Notice tone="info">{reason}</Notice>}
      <div className="card form">
        <div className="segmented" role="group" aria-label="Sign-in method">
          {modes.map(([m, label]) => (
            <button key={m} type="button" aria-pressed={mode === m} onClick={() => { setMode(m); act.setError(null); }}>{label}</button>
          ))}
        </div>
        {mode === 'passkey' ? (
          <>
            <p>Use a passkey stored on this device or your phone. Add passkeys on your Profile page once signed in.</p>
            {!passkeysSupported() && <Notice tone="warn">This browser does not support passkeys.</Notice>}
            <ErrorNote error={act.error} />
            <Button pending={act.pending} onClick={passkey} disabled={!passkeysSupported()}>Sign in with a passkey</Button>
          </>
        ) : (
          <form onSubmit={submit}>
            <EmailField value={email} onChange={(v) => { setEmail(v); setCodeSent(false); }} autoFocus={!email} />
            {mode === 'password' && (
              <Field label="Password">
                {(id) => <input id={id} type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />}
              </Field>
            )}
            {mode === 'code' && codeSent && (
              <>
                <Notice>If {email} has an account, a sign-in code is on its way.</Notice>
                <CodeInput value={code} onChange={setCode} />
              </>
            )}
            <ErrorNote error={act.error} />
            <div className="row">
              <Button type="submit" pending={act.pending}>{mode === 'code' && !codeSent ? 'Email me a code' : 'Sign in'}</Button>
              <Link to="/forgot">Forgot your password?</Link>
            </div>
          </form>
        )}
      </div>
      <p>New here? <Link to="/hatch">Hatch a duckling</Link>.</p>
    </Page>
  );
}

export function Forgot() {
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState(false);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const act = useAction();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void act.run(async () => {
      if (!sent) {
        await api('POST', '/beak/forgot', { auth: false, body: { email } });
        setSent(true);
        return;
      }
      await api('POST', '/beak/reset', { auth: false, body: { email, code, password } });
      setDone(true);
    });
  };

  if (done) {
    return (
      <Page title="Password changed">
        <Notice>Your password is set and every other session of the account was signed out.</Notice>
        <p><Link to={`/signin?email=${encodeURIComponent(email)}`}>Sign in with your new password</Link></p>
      </Page>
    );
  }
  return (
    <Page title="Reset your password" intro="We email you a code; with it you choose a new password. This also recovers an account someone else started hatching with your email.">
      <form className="card form" onSubmit={submit}>
        <EmailField value={email} onChange={(v) => { setEmail(v); setSent(false); }} autoFocus />
        {sent && (
          <>
            <Notice>If {email} has an account, a reset code is on its way.</Notice>
            <CodeInput value={code} onChange={setCode} />
            <Field label="New password" hint="At least 8 characters.">
              {(id, hint) => <input id={id} aria-describedby={hint} type="password" autoComplete="new-password" required minLength={8} value={password} onChange={(e) => setPassword(e.target.value)} />}
            </Field>
          </>
        )}
        <ErrorNote error={act.error} />
        <div className="row">
          <Button type="submit" pending={act.pending}>{sent ? 'Set new password' : 'Email me a code'}</Button>
          <Link to="/signin">Back to sign in</Link>
        </div>
      </form>
    </Page>
  );
}
