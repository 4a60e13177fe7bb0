// ARCHITECTURE section 4: imports flow one way. core <- store <- backends; core, store <- dataplane,
// controlplane; core <- functions; everything <- server; cli and console see only controlplane/client (and core types).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, dirname, normalize, relative } from 'node:path';

const allowed: Record<string, readonly string[]> = {
  core: ['core'],
  store: ['core', 'store'],
  backends: ['core', 'store', 'backends'],
  dataplane: ['core', 'store', 'dataplane'],
  functions: ['core', 'functions'],
  controlplane: ['core', 'store', 'controlplane'],
  server: ['core', 'store', 'backends', 'dataplane', 'controlplane', 'functions', 'server', 'cli', 'console'],
  cli: ['core', 'cli', 'controlplane/client'],
  console: ['core', 'console', 'controlplane/client'],
};
// Pure core: no I/O, no timers.
const forbiddenInCore = /from '(node:)?(http|https|fs|fs\/promises|net|child_process|timers|worker_threads)'/;

function sourceFiles(): string[] {
  return readdirSync('src', { recursive: true })
    .map((f) => join('src', String(f)))
    .filter((f) => f.endsWith('.ts'));
}

function layerOf(file: string): string {
  const parts = relative('src', file).split('/');
  if (parts[0] === 'controlplane' && parts[1] === 'client') return 'controlplane/client';
  return parts[0] ?? '';
}

test('imports flow one way between the layers of ARCHITECTURE section 4', () => {
  const violations: string[] = [];
  for (const file of sourceFiles()) {
    const from = layerOf(file).split('/')[0] ?? '';
    const rules = allowed[from];
    if (!rules) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const target = normalize(join(dirname(file), match[1] ?? ''));
      const layer = layerOf(target);
      const ok = rules.some(
        (r) => layer === r || layer.startsWith(r + '/') || (r === layer.split('/')[0] && !r.includes('/')),
      );
      if (!ok) violations.push(`${file} imports ${match[1]} (${from} -> ${layer})`);
    }
    if (from === 'core' && !file.endsWith('.test.ts') && forbiddenInCore.test(text)) {
      violations.push(`${file}: core must stay pure (no I/O modules)`);
    }
  }
  assert.deepEqual(violations, []);
});

// Every CLI command pays for the modules it loads before it parses its arguments: the kinds' entries
// (names, printing, defaults) are all it needs, not the server's admission code (docs/architecture.md).
test('the CLI loads no admission, filter or codec code at start', () => {
  const reached = staticImportsFrom('src/server/bin.ts');
  const serverOnly = [...reached].filter(
    (file) =>
      file === 'src/core/resources/registry.ts' ||
      /^src\/core\/resources\/[a-z]+\/(validate|schema|conditions|index)\.ts$/.test(file) ||
      /^src\/core\/(cesql|filters|cloudevents|delivery)\//.test(file),
  );
  assert.deepEqual(serverOnly, []);
  assert.ok(reached.has('src/core/resources/catalog.ts'), 'the walk reaches the catalog');
});

/** The source files `entry` loads through static imports (`import type` and `import()` left out). */
function staticImportsFrom(entry: string): Set<string> {
  const seen = new Set([entry]);
  const queue = [entry];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/^(?:import|export)(?! type)[^;]*?from '(\.[^']+)'/gms)) {
      const target = normalize(join(dirname(file), match[1] ?? '')).replace(/\.js$/, '.ts');
      if (seen.has(target)) continue;
      seen.add(target);
      queue.push(target);
    }
  }
  return seen;
}
