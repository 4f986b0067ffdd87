// HTTP plumbing shared by every route: request ids, the JSON body parser, and the one place
// where any failure — ours, Fastify's, a parser's — becomes the error envelope of CONTRACT §1.5.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AppError, errors, type FieldError } from './errors.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// Request ids need to be unique, not unguessable: a per-process prefix and a counter cost
// nothing on the hot path (a ULID would draw random bytes for every request).
const processPrefix = `req_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
let counter = 0;
export const nextRequestId = (): string => `${processPrefix}-${(++counter).toString(36)}`;

export function requestIdFrom(header: unknown, fallback: () => string): string {
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : fallback();
}

export function renderError(reply: FastifyReply, request: FastifyRequest, err: AppError): FastifyReply {
  reply.header('x-request-id', request.id); // also on routes whose handler would have set it
  if (err.headers) for (const [k, v] of Object.entries(err.headers)) reply.header(k, v);
  const body: Record<string, unknown> = { error: err.error, message: err.message, code: err.code, ...err.extra };
  if (err.details !== undefined) body.details = err.details;
  body.request_id = request.id;
  return reply.status(err.status).type('application/json').send(body);
}

/**
 * Sends a body that is already JSON. Fastify passes a string with a JSON content type through as
 * it is (no serialiser), so the route's response schema still documents it in OpenAPI. Sets
 * X-Request-Id too, for routes that opt out of the hook (`config.requestIdHeader`).
 */
export function sendJson(request: FastifyRequest, reply: FastifyReply, json: string): FastifyReply {
  return reply.headers({ 'x-request-id': request.id, 'content-type': 'application/json; charset=utf-8' }).send(json);
}

function fromFastify(err: FastifyError): AppError {
  if (err instanceof AppError) return err;
  if (err.validation) {
    const where = err.validationContext ?? 'body';
    const details: FieldError[] = err.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string } | undefined)?.missingProperty;
      const field = `${where}${v.instancePath.replace(/\//g, '.')}${missing ? `.${missing}` : ''}`;
      return { field, message: v.message ?? 'is invalid' };
    });
    return errors.validation(`Invalid request: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details);
  }
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return errors.tooLarge('Request body exceeds the 64 KiB limit');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return errors.unsupportedMedia();
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH': return errors.validation('Content-Length does not match the body');
  }
  const status = err.statusCode ?? 500;
  if (status === 413) return errors.tooLarge();
  if (status === 400) {
    const parse = err instanceof SyntaxError || err.name === 'SyntaxError' || String(err.code ?? '').startsWith('FST_ERR_CTP');
    return errors.validation(parse ? 'Malformed JSON body' : 'Bad request');
  }
  if (status === 404) return errors.notFound();
  if (status === 429) return errors.rateLimited(60);
  if (status === 503) return errors.unavailable();
  if (status >= 400 && status < 500) return new AppError(status, 'BAD_REQUEST', 'E4000', 'Bad request');
  return errors.internal();
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * Appends a hook to one route (in `onRoute`). Per-route hooks cost nothing on the routes that do
 * not need them, which matters on hot paths like `GET /beak/` and `POST /beak/pulse`.
 */
export function addRouteHook<K extends 'onRequest' | 'preValidation' | 'preHandler' | 'onSend'>(route: RouteOptions, name: K, hook: NonNullable<RouteOptions[K]>): void {
  const existing = route[name] as unknown;
  const list = existing == null ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<string, unknown>)[name] = [...list, hook];
}

const setRequestId = (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
  reply.header('x-request-id', request.id);
  done();
};

export function installHttpKernel(app: FastifyInstance): void {
  // X-Request-Id on every response: by a hook on each route (a hook costs about 0.6 µs, which
  // the few routes setting it in their handler avoid), and by every error response.
  app.addHook('onRoute', (route) => {
    if ((route.config as { requestIdHeader?: string } | undefined)?.requestIdHeader !== 'handler') addRouteHook(route, 'onRequest', setRequestId);
  });

  // Empty POST bodies are `{}`, so routes whose fields are all optional accept a bare POST.
  const jsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, {});
    jsonParser(req, body as string, done);
  });
  app.addHook('onRoute', (route) => {
    const methods = ([] as string[]).concat(route.method);
    if (!methods.some((m) => m === 'POST' || m === 'PUT' || m === 'PATCH')) return;
    addRouteHook(route, 'preValidation', (request: FastifyRequest, _reply: FastifyReply, done: () => void) => {
      if (request.body == null) request.body = {};
      done();
    });
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const app_ = fromFastify(err);
    if (app_.status >= 500) request.log.error({ err, reqId: request.id }, 'request failed');
    return renderError(reply, request, app_);
  });

  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0]!;
    const allow = METHODS.filter((m) => m !== request.method && app.hasRoute({ method: m, url }));
    return renderError(reply, request, allow.length ? errors.methodNotAllowed(allow) : errors.notFound(`No route for ${request.method} ${url}`));
  });
}
