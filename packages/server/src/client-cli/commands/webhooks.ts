// webhook listen|list|test.
//
// `listen` runs a local receiver that verifies every delivery and prints it (like `stripe
// listen`). The platform can only push to a URL it can reach, so the receiver needs an endpoint
// registered for it:
// - by default it registers one for its own address (http://127.0.0.1:PORT/) and deletes it on
//   exit; the server must allow private targets (SPACEDUCK_WEBHOOK_ALLOW_PRIVATE=true, i.e. a
//   development server on this machine);
// - `--public-url https://…` registers that URL instead (a tunnel that forwards to --port);
// - `--secret whsec_…` registers nothing and verifies deliveries of an endpoint you already have.
import { ValidationError, listenForWebhooks, type Delivery } from '@spaceduck/sdk/node';
import { UsageError } from '../args.js';
import type { Ctx } from '../context.js';
import { columns } from '../io.js';

export async function webhook(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const sub = args.need(0, 'subcommand: listen, list or test');
  switch (sub) {
    case 'listen': return listen(ctx);
    case 'list': {
      const r = await ctx.client().webhooks.list();
      io.result(r, () => (r.webhooks.length
        ? columns(['ID', 'STATUS', 'URL', 'EVENTS'], r.webhooks.map((w) => [w.webhook_id, w.status, w.url, w.events.join(',')]))
        : 'No webhook endpoints.'));
      return 0;
    }
    case 'test': {
      const id = args.need(1, 'webhook id (wh_…)');
      const r = await io.progress('Sending a test event…', () => ctx.client().webhooks.test(id, args.str('event')));
      io.result(r, () => `${r.ok ? '✓' : '✗'} ${r.event_type} → HTTP ${r.status_code ?? '—'} in ${r.duration_ms} ms${r.error ? ` (${r.error})` : ''}`);
      return r.ok ? 0 : 1;
    }
    default:
      throw new UsageError(`unknown webhook subcommand "${sub}"`);
  }
}

async function listen(ctx: Ctx): Promise<number> {
  const { io, args } = ctx;
  const forwardTo = args.str('forward-to');
  if (forwardTo && !/^https?:\/\//.test(forwardTo)) throw new UsageError('--forward-to needs an http(s) URL');
  const events = (args.str('events') ?? '*').split(',').map((e) => e.trim()).filter(Boolean);
  const given = args.str('secret');

  const listener = await listenForWebhooks({
    port: args.int('port', 0, 65_535) ?? 0,
    host: args.str('host') ?? '127.0.0.1',
    secret: given,
    forwardTo,
    onDelivery: (d: Delivery) => {
      const f = d.forwarded;
      const fwd = !f ? '' : 'status' in f ? `  → ${f.status} in ${f.durationMs} ms` : `  → failed: ${f.error}`;
      io.event({ ...d.event, ...(f ? { forwarded: f } : {}) }, `${new Date().toISOString().slice(0, 19).replace('T', ' ')}  ${d.event.type.padEnd(20)} ${d.event.id}${fwd}`);
    },
    onRejected: (reason) => io.note(`✗ rejected a delivery: ${reason}`),
  });

  let registered: string | undefined;
  const duck = given ? undefined : ctx.client();
  try {
    if (duck) {
      const url = args.str('public-url') ?? listener.url;
      const wh = await io.progress('Registering the endpoint…', () => duck.webhooks.create({ url, events, description: 'spaceduck webhook listen' }))
        .catch((err: unknown) => {
          if (err instanceof ValidationError && /public addresses|not allowed/.test(JSON.stringify(err.body))) {
            throw new UsageError(`the server refuses to deliver to ${url} (a private address). Either run a development server with `
              + 'SPACEDUCK_WEBHOOK_ALLOW_PRIVATE=true, or expose this port through a tunnel and pass --public-url https://…, '
              + 'or register an endpoint yourself and pass its --secret.');
          }
          throw err;
        });
      registered = wh.webhook_id;
      listener.setSecret(wh.secret);
      io.event({ ready: true, url: listener.url, registered_url: url, webhook_id: wh.webhook_id, secret: wh.secret, events },
        `Ready. Receiving ${events.join(', ')} at ${listener.url} (endpoint ${wh.webhook_id}).\nSigning secret: ${wh.secret}`
        + `${forwardTo ? `\nForwarding to ${forwardTo}.` : ''}\nCtrl+C stops${args.bool('keep') ? '' : ' and deletes the endpoint'}.`);
    } else {
      io.event({ ready: true, url: listener.url, webhook_id: null, events: null },
        `Ready. Verifying deliveries at ${listener.url} with the given secret${forwardTo ? `, forwarding to ${forwardTo}` : ''}. Ctrl+C stops.`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); resolve(); };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  } finally {
    await listener.close();
    if (duck && registered && !args.bool('keep')) {
      await duck.webhooks.delete(registered).then(() => io.note(`Deleted endpoint ${registered}.`), (err: Error) => io.note(`Could not delete endpoint ${registered}: ${err.message}`));
    }
  }
  return 0;
}
