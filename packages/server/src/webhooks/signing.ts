// Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` +
// base64 of random bytes; the signature is base64 HMAC-SHA256 over "id.timestamp.body" with
// those bytes. X-SpaceDuck-Signature is the hex HMAC of the body alone, with the same bytes.
import crypto from 'node:crypto';

const PREFIX = 'whsec_';
const SECRET_BYTES = 32;

export const newWebhookSecret = (): string => PREFIX + crypto.randomBytes(SECRET_BYTES).toString('base64');

const keyOf = (secret: string): Buffer => Buffer.from(secret.slice(PREFIX.length), 'base64');

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
  'x-spaceduck-event': string;
  'x-spaceduck-signature': string;
}

/**
 * Headers for one attempt. `secrets` lists the current secret first, then a previous one still
 * inside its rotation overlap: each signs, space-separated, so receivers holding either verify.
 */
export function signHeaders(secrets: string[], msg: { id: string; type: string; timestampS: number; body: string }): SignedHeaders {
  const keys = secrets.map(keyOf);
  const signed = `${msg.id}.${msg.timestampS}.${msg.body}`;
  return {
    'webhook-id': msg.id,
    'webhook-timestamp': String(msg.timestampS),
    'webhook-signature': keys.map((k) => `v1,${crypto.createHmac('sha256', k).update(signed).digest('base64')}`).join(' '),
    'x-spaceduck-event': msg.type,
    'x-spaceduck-signature': `sha256=${crypto.createHmac('sha256', keys[0]!).update(msg.body).digest('hex')}`,
  };
}
