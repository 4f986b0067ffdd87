// 3. Peck — ask another Space Duck for a trust bond (it has 10 minutes to approve).
//    SPACEDUCK_BEAK_KEY=bk_… node peck.mjs target@example.com
import { SpaceDuck } from '@spaceduck/sdk';

const duck = new SpaceDuck({
  baseUrl: process.env.SPACEDUCK_URL ?? 'http://127.0.0.1:8080',
  beakKey: process.env.SPACEDUCK_BEAK_KEY, // never hard-code keys; never ship them to a browser
});
const target = process.argv[2] ?? process.env.TARGET_EMAIL;
if (!target) throw new Error('usage: node peck.mjs <target email>');

// The target's operator is emailed your name, tier, purpose, the peck id and a code.
// Sends an Idempotency-Key, so a retry after a lost answer never pecks twice.
const peck = await duck.pecks.send({ target_email: target, purpose: 'Agent fleet coordination' });
console.log(`Peck sent! peck_id=${peck.peck_id}`);
console.log(`Target has until ${peck.expires_at} to approve.`);
