// 6. Rotate Key — a fresh Beak Key; the old one stops working at once.
//    SPACEDUCK_BEAK_KEY=bk_… node rotate-key.mjs
import { SpaceDuck } from '@spaceduck/sdk';

const duck = new SpaceDuck({
  baseUrl: process.env.SPACEDUCK_URL ?? 'http://127.0.0.1:8080',
  beakKey: process.env.SPACEDUCK_BEAK_KEY, // load from the environment, never hard-code
  // Called with the new key as soon as it exists: write it to your secrets store here.
  onCredentialChange: ({ value }) => console.log('✓ Key rotated. New key (update your secrets store):\n ', value),
});

// Rotates the key this client authenticates with and switches the client to the new one.
// Never retried after a lost answer: only that answer held the new key.
await duck.rotateKey();
// Optional: { grace_seconds: 300 } keeps the old key working for a zero-downtime rollout.
