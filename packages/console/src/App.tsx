// The shell: header, navigation and the route table. Pages that need a session send a signed-out
// visitor to the sign-in page and bring them back afterwards.
import { useEffect, type ComponentType } from 'react';
import { Link, navigate, useLocation } from './lib/router';
import { clearSession, useSession } from './lib/session';
import { api } from './lib/api';
import { Hatch, SignIn, Forgot } from './pages/Auth';
import { MissionControl } from './pages/MissionControl';
import { Keys } from './pages/Keys';
import { Pecks } from './pages/Pecks';
import { MyCertificate, PublicCertificate } from './pages/Certificate';
import { Webhooks } from './pages/Webhooks';
import { Audit } from './pages/Audit';
import { Status } from './pages/Status';
import { Profile } from './pages/Profile';
import { Directory } from './pages/Directory';
import { Page } from './ui';

interface Route { path: string; page: ComponentType<{ params: Record<string, string> }>; auth?: boolean; nav?: string }

const ROUTES: Route[] = [
  { path: '/', page: MissionControl, auth: true, nav: 'Mission Control' },
  { path: '/keys', page: Keys, auth: true, nav: 'Beak Keys' },
  { path: '/pecks', page: Pecks, auth: true, nav: 'Pecks' },
  { path: '/certificate', page: MyCertificate, auth: true, nav: 'Certificate' },
  { path: '/webhooks', page: Webhooks, auth: true, nav: 'Webhooks' },
  { path: '/audit', page: Audit, auth: true, nav: 'Audit log' },
  { path: '/profile', page: Profile, auth: true, nav: 'Profile' },
  { path: '/directory', page: Directory },
  { path: '/status', page: Status },
  { path: '/cert/:cert_id', page: PublicCertificate },
  { path: '/signin', page: SignIn },
  { path: '/hatch', page: Hatch },
  { path: '/forgot', page: Forgot },
];

function match(pathname: string): { route: Route; params: Record<string, string> } | null {
  const segments = (p: string) => p.replace(/\/+$/, '').split('/').slice(1);
  const got = segments(pathname);
  for (const route of ROUTES) {
    const want = segments(route.path);
    if (want.length !== got.length) continue;
    const params: Record<string, string> = {};
    const ok = want.every((w, i) => {
      if (!w.startsWith(':')) return w === got[i];
      params[w.slice(1)] = decodeURIComponent(got[i]!);
      return got[i] !== '';
    });
    if (ok) return { route, params };
  }
  return null;
}

function NotFound() {
  return <Page title="Page not found"><p>There is no page at this address. <Link to="/">Go to Mission Control</Link>.</p></Page>;
}

export function App() {
  const session = useSession();
  const loc = useLocation();
  const found = match(loc.pathname);
  const needsSignIn = !!found?.route.auth && !session;

  // A session ends at its expiry even if the tab makes no request then.
  useEffect(() => {
    if (!session) return;
    const ms = Date.parse(session.expires_at) - Date.now();
    const timer = setTimeout(() => clearSession('Your session has expired. Please sign in again.'), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [session]);

  useEffect(() => {
    if (needsSignIn) navigate(`/signin?next=${encodeURIComponent(loc.pathname + loc.search)}`, { replace: true });
  }, [needsSignIn, loc.pathname, loc.search]);

  const signOut = async () => {
    try { await api('POST', '/beak/signout'); } catch { /* the session is dropped locally either way */ }
    clearSession('You have signed out.');
    navigate('/signin');
  };

  const PageComponent = found?.route.page;
  return (
    <>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <Link to={session ? '/' : '/signin'} className="brand"><img src="/favicon.svg" alt="" width="28" height="28" /> Space Duck</Link>
        <nav aria-label="Main">
          <ul>
            {(session ? ROUTES.filter((r) => r.nav) : []).map((r) => (
              <li key={r.path}><Link to={r.path} aria-current={found?.route === r ? 'page' : undefined}>{r.nav}</Link></li>
            ))}
            <li><Link to="/directory" aria-current={found?.route.path === '/directory' ? 'page' : undefined}>Directory</Link></li>
            <li><Link to="/status" aria-current={found?.route.path === '/status' ? 'page' : undefined}>Status</Link></li>
          </ul>
        </nav>
        <div className="who">
          {session ? (
            <>
              <span className="who-name" title={session.email}>{session.display_name}</span>
              <span className="tier" title="Trust tier">{session.trust_tier}</span>
              <button type="button" className="btn btn-link" onClick={signOut}>Sign out</button>
            </>
          ) : (
            <>
              <Link to="/signin">Sign in</Link>
              <Link to="/hatch" className="btn btn-primary">Hatch</Link>
            </>
          )}
        </div>
      </header>
      <main id="main">
        {needsSignIn ? null : PageComponent ? <PageComponent key={loc.pathname} params={found!.params} /> : <NotFound />}
      </main>
      <footer className="foot">
        <span>Space Duck Mission Control</span> · <a href="/docs">API docs</a> · <a href="/beak/openapi.json">OpenAPI</a>
      </footer>
    </>
  );
}
