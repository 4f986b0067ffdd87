// The console's small component kit: pages, fields, pending buttons, readable errors, the
// shown-once secret panel. Plain elements with labels and roles, styled by styles.css.
import { useCallback, useEffect, useId, useRef, useState, type ButtonHTMLAttributes, type ReactNode } from 'react';
import { messageOf } from './lib/api';

export function Page({ title, intro, children, actions }: { title: string; intro?: ReactNode; children: ReactNode; actions?: ReactNode }) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Space Duck`;
    // Move focus to the new page's heading so keyboard and screen-reader users land on it.
    if (document.activeElement === document.body || document.activeElement?.closest('nav')) h1.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <>
      <div className="page-head">
        <h1 tabIndex={-1} ref={h1}>{title}</h1>
        {actions && <div className="row">{actions}</div>}
      </div>
      {intro && <p className="intro">{intro}</p>}
      {children}
    </>
  );
}

export function Section({ title, children, actions, id }: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  const hid = useId();
  return (
    <section className="card" aria-labelledby={hid} id={id}>
      <div className="section-head">
        <h2 id={hid}>{title}</h2>
        {actions && <div className="row">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

export function Button({ pending, children, kind = 'primary', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { pending?: boolean; kind?: 'primary' | 'secondary' | 'danger' | 'link' }) {
  return (
    <button type="button" className={`btn btn-${kind}`} {...rest} disabled={rest.disabled || pending} aria-busy={pending || undefined}>
      {pending && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}

export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  return <p className="note note-error" role="alert">{messageOf(error)}</p>;
}

export function Notice({ children, tone = 'ok' }: { children: ReactNode; tone?: 'ok' | 'info' | 'warn' }) {
  return <p className={`note note-${tone}`} role="status">{children}</p>;
}

export function Field({ label, hint, children }: { label: string; hint?: ReactNode; children: (id: string, describedBy?: string) => ReactNode }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, hintId)}
      {hint && <small id={hintId} className="hint">{hint}</small>}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="empty">{children}</div>;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return <p className="loading" role="status"><span className="spinner" aria-hidden="true" /> {what}…</p>;
}

export function Badge({ tone, children }: { tone: 'ok' | 'warn' | 'bad' | 'idle' | 'info'; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
export function relative(iso: string | null | undefined): string {
  if (!iso) return 'never';
  const s = (Date.parse(iso) - Date.now()) / 1000;
  const abs = Math.abs(s);
  if (abs < 45) return s < 0 ? 'just now' : 'in a moment';
  if (abs < 3600) return rtf.format(Math.round(s / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(s / 3600), 'hour');
  return rtf.format(Math.round(s / 86400), 'day');
}

export function Time({ iso, empty = '—' }: { iso: string | null | undefined; empty?: string }) {
  if (!iso) return <span className="muted">{empty}</span>;
  return <time dateTime={iso} title={new Date(iso).toLocaleString()}>{relative(iso)}</time>;
}

/** Loads data for a page; `reload()` refetches, `setData` applies local updates. */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[] = []) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(ctl.signal).then(
      (data) => { if (!ctl.signal.aborted) setState({ data, loading: false }); },
      (error) => { if (!ctl.signal.aborted) setState((s) => ({ data: s.data, error, loading: false })); },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const setData = useCallback((f: (d: T | undefined) => T) => setState((s) => ({ ...s, data: f(s.data) })), []);
  return { ...state, reload, setData };
}

/** Runs one user action at a time, exposing its pending state and readable error. */
export function useAction() {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = useCallback(async <T,>(fn: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setError(null);
    try {
      return await fn();
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setPending(false);
    }
  }, []);
  return { pending, error, setError, run };
}

/** A two-step destructive button: the first press asks, the second acts. */
export function ConfirmButton({ label, confirm, onConfirm, pending, kind = 'danger' }: { label: string; confirm: string; onConfirm: () => void; pending?: boolean; kind?: 'danger' | 'secondary' }) {
  const [asking, setAsking] = useState(false);
  if (!asking) return <Button kind={kind === 'danger' ? 'secondary' : kind} pending={pending} onClick={() => setAsking(true)}>{label}</Button>;
  return (
    <span className="row confirm" role="group" aria-label={confirm}>
      <Button kind={kind} autoFocus onClick={() => { setAsking(false); onConfirm(); }}>{confirm}</Button>
      <Button kind="link" onClick={() => setAsking(false)}>Cancel</Button>
    </span>
  );
}

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <Button kind="secondary" onClick={async () => {
        try { await navigator.clipboard.writeText(value); setState('copied'); } catch { setState('failed'); }
      }}>{state === 'copied' ? 'Copied' : label}</Button>
      <span className="sr-only" role="status">{state === 'copied' ? 'Copied to the clipboard' : state === 'failed' ? 'Copy failed: select the text and copy it yourself' : ''}</span>
    </>
  );
}

export interface Secret { label: string; value: string }

/**
 * A secret the server will never show again (a Beak Key, a handshake token, a webhook secret):
 * displayed once, with copy buttons, and kept on screen until the operator confirms it is stored.
 */
export function SecretOnce({ title, secrets, children, onDone, doneLabel = 'Done' }: { title: string; secrets: Secret[]; children?: ReactNode; onDone: () => void; doneLabel?: string }) {
  const [stored, setStored] = useState(false);
  const hid = useId();
  const box = useRef<HTMLElement>(null);
  useEffect(() => { box.current?.focus(); }, []);
  return (
    <section className="card secret" aria-labelledby={hid} tabIndex={-1} ref={box}>
      <h2 id={hid}>{title}</h2>
      <p className="note note-warn"><strong>Shown once.</strong> Store {secrets.length > 1 ? 'these' : 'this'} now in a secrets manager: Space Duck keeps only a hash and cannot show {secrets.length > 1 ? 'them' : 'it'} again.</p>
      {children}
      {secrets.map((s) => (
        <div className="secret-row" key={s.label}>
          <span className="secret-label">{s.label}</span>
          <code className="secret-value" data-secret={s.label}>{s.value}</code>
          <CopyButton value={s.value} label={`Copy ${s.label}`} />
        </div>
      ))}
      <label className="check">
        <input type="checkbox" checked={stored} onChange={(e) => setStored(e.target.checked)} /> I have stored {secrets.length > 1 ? 'them' : 'it'} somewhere safe
      </label>
      <Button disabled={!stored} onClick={onDone}>{doneLabel}</Button>
    </section>
  );
}

export function Pager({ next, onMore, pending }: { next: string | null | undefined; onMore: () => void; pending?: boolean }) {
  if (!next) return null;
  return <div className="pager"><Button kind="secondary" pending={pending} onClick={onMore}>Load more</Button></div>;
}

export function Meta({ meta, max = 8 }: { meta: Record<string, unknown> | null | undefined; max?: number }) {
  const entries = Object.entries(meta ?? {});
  if (!entries.length) return <span className="muted">—</span>;
  return (
    <ul className="meta">
      {entries.slice(0, max).map(([k, v]) => <li key={k}><span>{k}</span> {String(v)}</li>)}
      {entries.length > max && <li className="muted">+{entries.length - max} more</li>}
    </ul>
  );
}
