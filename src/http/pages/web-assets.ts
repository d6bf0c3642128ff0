import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';

/** One built file of the front end, held in memory: the whole build is a few tens of kilobytes. */
export interface WebAsset {
  body: Buffer;
  contentType: string;
  /** Strong validator (RFC 9110 §8.8.3) so browsers revalidate cheaply with If-None-Match. */
  etag: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** `dist/web` of this checkout: `src/http/pages` (tests) and `dist/http/pages` (built) are both three levels below the root. */
export const defaultWebRoot = resolve(__dirname, '..', '..', '..', 'dist', 'web');

/**
 * Reads every servable file under `root` (by relative path with `/` separators). Files of other
 * types are skipped, so nothing but the build's pages, scripts and styles can be served.
 * Returns undefined when the front end has not been built.
 */
export function loadWebAssets(root: string): Map<string, WebAsset> | undefined {
  try {
    if (!statSync(root).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  const assets = new Map<string, WebAsset>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      const contentType = contentTypes[extname(entry.name)];
      if (!entry.isFile() || !contentType) continue;
      const body = readFileSync(path);
      const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
      assets.set(relative(root, path).split(sep).join('/'), { body, contentType, etag });
    }
  };
  walk(root);
  return assets;
}
