#!/usr/bin/env node
// Regenerates src/generated/openapi.ts from the server's OpenAPI document, so the SDK's request
// and response types are the server's own route schemas and cannot drift from them.
//
//   npm run generate -w @spaceduck/sdk                 # builds the app in-process from packages/server/dist
//   npm run generate -w @spaceduck/sdk -- --from-url http://127.0.0.1:8080   # or reads a running server
//   node scripts/generate.mjs --out /tmp/openapi.ts    # write elsewhere (the drift test compares)
//
// The server must be built first (`npm run build -w @spaceduck/server`).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
const out = path.resolve(flag('--out') ?? path.join(here, '../src/generated/openapi.ts'));

async function fromApp() {
  const dist = path.resolve(here, '../../server/dist');
  if (!fs.existsSync(path.join(dist, 'app.js'))) throw new Error(`${dist}/app.js is missing: run \`npm run build -w @spaceduck/server\` first`);
  const { buildApp } = await import(pathToFileURL(path.join(dist, 'app.js')).href);
  const { loadConfig } = await import(pathToFileURL(path.join(dist, 'config.js')).href);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spaceduck-openapi-'));
  try {
    // A throwaway SQLite database: only the route schemas matter. `test` keeps the development
    // mailbox route in the document (the SDK's devMailbox helper reads it).
    const config = loadConfig({
      SPACEDUCK_ENV: 'test', SPACEDUCK_DATA_DIR: dataDir, SPACEDUCK_RATE_LIMITS: 'off',
      SPACEDUCK_PUBLIC_URL: 'http://localhost:8080', LOG_LEVEL: 'silent',
    });
    const app = await buildApp(config, { logger: false });
    try {
      await app.ready();
      return structuredClone(app.swagger());
    } finally { await app.close(); }
  } finally { fs.rmSync(dataDir, { recursive: true, force: true }); }
}

async function fromUrl(base) {
  const r = await fetch(new URL('/beak/openapi.json', base));
  if (!r.ok) throw new Error(`GET ${base}/beak/openapi.json answered ${r.status}`);
  return r.json();
}

const from = flag('--from-url');
const doc = from ? await fromUrl(from) : await fromApp();
// Deployment details are not part of the contract: the same code must generate the same file.
delete doc.servers;
doc.info = { ...doc.info, version: '0.0.0' };

const ast = await openapiTS(doc, { alphabetize: true });
const header = `// Generated from the Space Duck OpenAPI document by packages/sdk/scripts/generate.mjs.
// Do not edit: run \`npm run generate -w @spaceduck/sdk\` after changing a route schema.
/* eslint-disable */
`;
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, header + astToString(ast));
process.stdout.write(`wrote ${path.relative(process.cwd(), out)} (${Object.keys(doc.paths ?? {}).length} paths)\n`);
