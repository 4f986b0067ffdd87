// 1. Hatch — register a new duckling (POST /beak/signup + /beak/verify, T0 → T1).
//    node hatch.mjs you@example.com      (SPACEDUCK_URL defaults to http://127.0.0.1:8080)
import readline from 'node:readline/promises';
import { SpaceDuck } from '@spaceduck/sdk';

const duck = new SpaceDuck({ baseUrl: process.env.SPACEDUCK_URL ?? 'http://127.0.0.1:8080' });
const email = process.argv[2] ?? process.env.SPACEDUCK_EMAIL;
if (!email) throw new Error('usage: node hatch.mjs <email>');

// Step 1: sign up. The email is the identity anchor; a verification code is mailed to it.
const hatched = await duck.hatch({ email, display_name: process.env.DISPLAY_NAME });
console.log(`Hatched ${hatched.display_name} (${hatched.duckling_id}) at ${hatched.trust_tier}`);

// Step 2: the code from the email. A development server keeps mail in its dev mailbox.
const code = process.env.SPACEDUCK_DEV_MAILBOX
  ? (await duck.devMailbox(email)).messages[0].otp
  : await readline.createInterface({ input: process.stdin, output: process.stdout }).question('Enter the code from your email: ');
const verified = await duck.verify({ email, code: code.trim() });

// Step 3: store the Beak Key now — it is shown only in this answer.
console.log(`Verified: ${verified.duckling_id} is ${verified.trust_tier}`);
console.log(`Cert ID: ${verified.cert_id}`);
console.log(`Beak Key (store safely): ${verified.beak_key}`);
process.exit(0);
