#!/usr/bin/env node
// Bundles the web console's TypeScript (src/console/client, Preact) and stylesheet into dist/console with
// esbuild: what `cemesh serve` sends at /console/console.js and /console/console.css. Run by `npm run build`
// and `npm run prepare`; the console's browser test calls buildConsole() first, so it always tests the source.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Writes dist/console/console.js and console.css (minified, with source maps); resolves with their paths. */
export async function buildConsole(outdir = join(root, 'dist', 'console')) {
  await build({
    entryPoints: { console: join(root, 'src/console/client/main.tsx') },
    outdir,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: 'iife',
    target: ['chrome110', 'firefox110', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  return { script: join(outdir, 'console.js'), style: join(outdir, 'console.css') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await buildConsole();
}
