// 4. Approve Peck — accept a trust bond as its target (your credentials, the emailed code, or both).
//    SPACEDUCK_BEAK_KEY=bk_… node approve-peck.mjs peck_… [code]
import { SpaceDuck, OtpError } from '@spaceduck/sdk';

const duck = new SpaceDuck({ baseUrl: process.env.SPACEDUCK_URL ?? 'http://127.0.0.1:8080', beakKey: process.env.SPACEDUCK_BEAK_KEY });
const peckId = process.argv[2] ?? process.env.PECK_ID;
const otp = process.argv[3] ?? process.env.PECK_OTP; // from the peck email; optional with your own key
if (!peckId) throw new Error('usage: node approve-peck.mjs <peck_id> [code]');

try {
  const bond = await duck.pecks.approve({ peck_id: peckId, ...(otp ? { otp } : {}) });
  console.log(`Bond created! connection_id=${bond.connection_id}`);
  console.log(`Bond status: ${bond.status}`);
} catch (err) {
  // Typed errors carry the envelope's code: E4005 wrong code, E4006 expired (10 minutes).
  if (err instanceof OtpError) console.error(err.expired ? 'The peck has expired.' : 'Wrong code.');
  else throw err;
  process.exit(1);
}
