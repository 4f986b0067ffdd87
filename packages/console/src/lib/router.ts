// A small history router: the console has a dozen flat pages and needs nothing more.
import { createElement, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();
const emit = () => { for (const l of listeners) l(); };
window.addEventListener('popstate', emit);

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  if (to === location.pathname + location.search + location.hash) return;
  if (opts.replace) history.replaceState(null, '', to); else history.pushState(null, '', to);
  emit();
}

const snapshot = () => location.pathname + location.search;

/** `pathname + search` of the current page; re-renders on navigation. */
export function useLocation(): URL {
  const href = useSyncExternalStore((l) => { listeners.add(l); return () => listeners.delete(l); }, snapshot);
  return new URL(href, location.origin);
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  return createElement('a', {
    ...rest, href: to,
    onClick: (e: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(e);
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      navigate(to);
    },
  });
}
