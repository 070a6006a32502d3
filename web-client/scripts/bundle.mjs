// Bundles the page (src/page/main.ts → dist/public/app.js) and copies the static files in public/
// next to it. Type checking is `tsc -b`'s job (tsconfig.page.json); this only bundles.
// The protocol package imports zod as a namespace (`import * as z`), which lets esbuild tree-shake it.
import { cp, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/public`;

await rm(outdir, { recursive: true, force: true });
await cp(`${root}public`, outdir, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: ['src/page/main.ts'],
  outfile: 'dist/public/app.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
});
