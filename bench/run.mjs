// Runs every benchmark in turn (each starts and stops its own servers), or the named ones:
//   npm run build && npm run bench                 all
//   npm run build && npm run bench -- pulse certs  some
// Each prints its figures and its ratio against a bare Fastify baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const all = fs.readdirSync(here).filter((f) => f.endsWith('.mjs') && !['lib.mjs', 'run.mjs'].includes(f)).map((f) => f.slice(0, -4));
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) { console.error(`no benchmark "${name}" (have: ${all.join(', ')})`); failed++; continue; }
  console.log(`\n=== bench/${name}.mjs`);
  const r = spawnSync(process.execPath, [path.join(here, `${name}.mjs`)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
