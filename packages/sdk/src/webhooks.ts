// Receiving webhooks (CONTRACT §8): Standard Webhooks signatures, checked with WebCrypto HMAC so
// the same function works in Node, Deno, workers and browsers.
import { WebhookVerificationError } from './errors.js';
import { base64Decode, base64Encode, safeEqual, utf8 } from './encoding.js';

export interface WebhookEvent<D = Record<string, unknown>> {
  id: string;
  type: string;
  created_at: string;
  data: D;
}

export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, in seconds (default 300, as Standard Webhooks). */
  toleranceSec?: number;
  /** The time to judge by (default: now). */
  now?: Date | number;
}

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
}

function secretBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (typeof secret !== 'string' || !secret) throw new WebhookVerificationError('No webhook secret given');
  try { return base64Decode(secret.startsWith('whsec_') ? secret.slice(6) : secret); } catch {
    throw new WebhookVerificationError('The webhook secret is not whsec_ followed by base64');
  }
}

async function hmacBase64(key: Uint8Array<ArrayBuffer>, content: string): Promise<string> {
  const k = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return base64Encode(new Uint8Array(await crypto.subtle.sign('HMAC', k, utf8(content))));
}

/**
 * Verifies a delivery and returns the event. `body` must be the raw request body, byte for byte
 * (re-serialised JSON does not verify). Throws WebhookVerificationError when the signature,
 * the timestamp or the body is wrong.
 */
export async function verifyWebhook<D = Record<string, unknown>>(
  body: string | Uint8Array | ArrayBuffer, headers: HeaderSource, secret: string, options: VerifyWebhookOptions = {},
): Promise<WebhookEvent<D>> {
  let raw: string;
  if (typeof body === 'string') raw = body;
  else if (body instanceof Uint8Array || body instanceof ArrayBuffer) raw = new TextDecoder().decode(body);
  else throw new TypeError('verifyWebhook needs the raw request body (string or bytes), not parsed JSON');

  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('Missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('Invalid webhook-timestamp');

  const now = Math.floor((options.now === undefined ? Date.now() : typeof options.now === 'number' ? options.now : options.now.getTime()) / 1000);
  const tolerance = options.toleranceSec ?? 300;
  const ts = Number(timestamp);
  if (ts < now - tolerance) throw new WebhookVerificationError('Message timestamp too old');
  if (ts > now + tolerance) throw new WebhookVerificationError('Message timestamp too new');

  const expected = await hmacBase64(secretBytes(secret), `${id}.${timestamp}.${raw}`);
  const ok = signatures.split(' ').some((s) => {
    const [version, sig] = s.split(',', 2);
    return version === 'v1' && sig !== undefined && safeEqual(sig, expected);
  });
  if (!ok) throw new WebhookVerificationError('No matching signature found');

  let event: WebhookEvent<D>;
  try { event = JSON.parse(raw) as WebhookEvent<D>; } catch { throw new WebhookVerificationError('The body is not JSON'); }
  if (!event || typeof event !== 'object' || typeof event.type !== 'string') throw new WebhookVerificationError('The body is not a Space Duck event');
  return event;
}
