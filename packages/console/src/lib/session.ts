// The signed-in session. The token lives in sessionStorage only: it dies with the tab, is never
// sent automatically (no cookie), and is not shared with other tabs (no localStorage).
import { useSyncExternalStore } from 'react';

export interface Session {
  token: string;
  expires_at: string;
  duckling_id: string;
  email: string;
  display_name: string;
  trust_tier: string;
}

const KEY = 'spaceduck.session';
const listeners = new Set<() => void>();
let current: Session | null = read();

function read(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as Session | null;
    return s && typeof s.token === 'string' && Date.parse(s.expires_at) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function emit() {
  for (const l of listeners) l();
}

export function getSession(): Session | null {
  return current;
}

export function setSession(body: { access_token?: string; token?: string; expires_at: string; duckling_id: string; email: string; display_name: string; trust_tier: string }) {
  current = {
    token: (body.access_token ?? body.token)!, expires_at: body.expires_at, duckling_id: body.duckling_id,
    email: body.email, display_name: body.display_name, trust_tier: body.trust_tier,
  };
  sessionStorage.setItem(KEY, JSON.stringify(current));
  emit();
}

export function updateSession(patch: Partial<Omit<Session, 'token'>>) {
  if (!current) return;
  current = { ...current, ...patch };
  sessionStorage.setItem(KEY, JSON.stringify(current));
  emit();
}

/** `reason` is shown on the sign-in page (e.g. "Your session has expired"). */
export let signedOutReason: string | null = null;

export function clearSession(reason: string | null = null) {
  signedOutReason = reason;
  current = null;
  sessionStorage.removeItem(KEY);
  emit();
}

export function takeSignedOutReason(): string | null {
  const r = signedOutReason;
  signedOutReason = null;
  return r;
}

export function useSession(): Session | null {
  return useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, () => current);
}
