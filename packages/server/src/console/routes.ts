// Serves Mission Control, the web console (packages/console), at `/`: hashed assets cached for a
// year, index.html revalidated on every load, and the SPA's own paths answered with index.html
// when a browser asks for a page. The API's namespaces (/beak, /docs, /.well-known) never fall
// back to the page: an unknown API path keeps the JSON 404 envelope.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../app.js';
import { renderError } from '../kernel/http.js';
import { errors } from '../kernel/errors.js';
import { Bundle, pickEncoding } from './bundle.js';

export interface ConsoleOptions {
  /** Folder holding the built console; defaults to packages/console/dist of this checkout. */
  root?: string;
}

// Same relative position from src/console and dist/console.
const DEFAULT_ROOT = fileURLToPath(new URL('../../../console/dist/', import.meta.url));

// No inline script or style, nothing from another origin, never framed.
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "manifest-src 'self'", "worker-src 'none'", "object-src 'none'", "base-uri 'none'",
  "form-action 'self'", "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

const API_PREFIXES = ['/beak/', '/docs', '/.well-known/'];
const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Space Duck</title>
<h1>Space Duck</h1><p>The API is running under <a href="/beak/">/beak</a> (docs at <a href="/docs">/docs</a>),
but the web console has not been built. Run <code>npm run build</code> (or <code>npm start</code>) in the repository.</p></html>
`;

const wantsPage = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');
const isApiPath = (url: string) => url === '/beak' || API_PREFIXES.some((p) => url.startsWith(p));

export async function consoleRoutes(app: App, opts: ConsoleOptions = {}): Promise<void> {
  const bundle = Bundle.open(path.resolve(opts.root ?? DEFAULT_ROOT));
  if (!bundle) app.log.warn('web console not built (packages/console/dist is missing): / explains how to build it');

  const send = (request: FastifyRequest, reply: FastifyReply, url: string, cacheControl: string) => {
    const file = bundle!.get(url)!;
    reply.headers(SECURITY_HEADERS).header('cache-control', cacheControl).header('etag', file.etag).header('vary', 'Accept-Encoding');
    if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
    const encoding = pickEncoding(request.headers['accept-encoding'], file);
    if (encoding) reply.header('content-encoding', encoding);
    return reply.type(file.type).send(encoding === 'br' ? file.br : encoding === 'gzip' ? file.gzip : file.raw);
  };

  const page = (request: FastifyRequest, reply: FastifyReply) => {
    if (bundle) return send(request, reply, '/index.html', 'no-cache');
    reply.headers(SECURITY_HEADERS).header('cache-control', 'no-store');
    if (wantsPage(request)) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT_PAGE);
    return renderError(reply, request, errors.unavailable('The web console has not been built; run `npm run build`'));
  };

  const hidden = { schema: { hide: true } } as const;
  // The entry page and hashed assets are served from memory: cheaper than a bucket lookup, and
  // an office behind one address must not exhaust a per-IP budget just by opening the console.
  // The catch-all below stays limited: it also answers unknown API paths.
  const exempt = { ...hidden, config: { rateLimit: false } } as const;

  app.get('/', exempt, async (request, reply) => page(request, reply));

  app.get('/assets/*', exempt, async (request, reply) => {
    const url = request.url.split('?')[0]!;
    if (!bundle?.has(url)) return reply.callNotFound();
    return send(request, reply, url, IMMUTABLE);
  });

  // Everything else that no route claims: a top-level file of the build (favicon…), or a page of
  // the SPA (a deep link such as /cert/cert_…) when the client is a browser asking for HTML.
  app.get('/*', hidden, async (request, reply) => {
    const url = request.url.split('?')[0]!;
    if (isApiPath(url)) return reply.callNotFound();
    if (bundle?.has(url)) return url === '/index.html' ? page(request, reply) : send(request, reply, url, 'no-cache');
    if (wantsPage(request) && !path.posix.extname(url)) return page(request, reply);
    return reply.callNotFound();
  });
}
