// Builds the console into dist/: hashed assets under /assets, no inline script or style (the
// server's Content-Security-Policy forbids both), and .br/.gz siblings so the server sends
// pre-compressed bytes. Prints the gzipped size of the JavaScript the first page loads.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const BUDGET_KB = 250;
const COMPRESSIBLE = /\.(js|css|html|svg|json|txt|webmanifest)$/;

function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'spaceduck-precompress',
    apply: 'build',
    configResolved(config) { outDir = path.resolve(config.root, config.build.outDir); },
    closeBundle() {
      const files = fs.readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((f) => COMPRESSIBLE.test(f));
      for (const rel of files) {
        const abs = path.join(outDir, rel);
        const raw = fs.readFileSync(abs);
        if (raw.length < 512) continue;
        fs.writeFileSync(`${abs}.gz`, zlib.gzipSync(raw, { level: 9 }));
        fs.writeFileSync(`${abs}.br`, zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
      // The initial route = every script index.html loads or preloads.
      const html = fs.readFileSync(path.join(outDir, 'index.html'), 'utf8');
      const scripts = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
      const gz = scripts.reduce((n, s) => n + zlib.gzipSync(fs.readFileSync(path.join(outDir, s)), { level: 9 }).length, 0);
      const kb = (gz / 1024).toFixed(1);
      console.log(`console: initial route JavaScript ${kb} KB gzipped (${scripts.length} file${scripts.length === 1 ? '' : 's'}; budget ${BUDGET_KB} KB)`);
      if (gz > BUDGET_KB * 1024) throw new Error(`console bundle over budget: ${kb} KB > ${BUDGET_KB} KB gzipped`);
    },
  };
}

export default defineConfig({
  plugins: [react(), precompress()],
  build: {
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev -w @spaceduck/console` against a server on :8080.
    proxy: { '/beak': 'http://127.0.0.1:8080', '/.well-known': 'http://127.0.0.1:8080', '/docs': 'http://127.0.0.1:8080' },
  },
});
