// The built console (packages/console/dist) as a read-only table of files. Only paths listed at
// start-up are ever served, so no request path reaches the filesystem. Files are read on first
// use and kept in memory with the .br/.gz siblings the console build writes next to them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface BundleFile {
  type: string;
  etag: string;
  raw: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
};

export class Bundle {
  private readonly cache = new Map<string, BundleFile>();

  private constructor(private readonly root: string, private readonly files: Set<string>) {}

  /** null when the console has not been built (no index.html under `root`). */
  static open(root: string): Bundle | null {
    if (!fs.existsSync(path.join(root, 'index.html'))) return null;
    const files = new Set<string>();
    for (const rel of fs.readdirSync(root, { recursive: true, encoding: 'utf8' })) {
      const url = '/' + rel.split(path.sep).join('/');
      if (url.endsWith('.br') || url.endsWith('.gz')) continue;
      if (!TYPES[path.extname(url)]) continue;
      if (fs.statSync(path.join(root, rel)).isFile()) files.add(url);
    }
    return new Bundle(root, files);
  }

  has(url: string): boolean {
    return this.files.has(url);
  }

  get(url: string): BundleFile | null {
    if (!this.files.has(url)) return null;
    let file = this.cache.get(url);
    if (!file) {
      const abs = path.join(this.root, ...url.split('/'));
      const raw = fs.readFileSync(abs);
      const sibling = (ext: string) => (fs.existsSync(abs + ext) ? fs.readFileSync(abs + ext) : undefined);
      file = {
        type: TYPES[path.extname(url)]!,
        etag: `"${crypto.createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
        raw, br: sibling('.br'), gzip: sibling('.gz'),
      };
      this.cache.set(url, file);
    }
    return file;
  }
}

/** The best encoding the client accepts among those we hold: br, then gzip, else identity. */
export function pickEncoding(acceptEncoding: string | undefined, file: BundleFile): 'br' | 'gzip' | null {
  if (!acceptEncoding) return null;
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name!.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  const ok = (enc: string) => (accepted.get(enc) ?? accepted.get('*') ?? 0) > 0;
  if (file.br && ok('br')) return 'br';
  if (file.gzip && ok('gzip')) return 'gzip';
  return null;
}
