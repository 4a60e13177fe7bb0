/**
 * Finds the folder of the replica's entry (`child.js` and its siblings). Built, it is `runtime/` next to this
 * folder. Run from TypeScript sources (tests and the bench run through tsx), the runtime's files are
 * transpiled once into a temp folder named by their hash: a replica must not load a TypeScript loader, which
 * would need child processes the permission model denies.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let located: Promise<string> | undefined;

export function runtimeDir(): Promise<string> {
  return (located ??= locate());
}

async function locate(): Promise<string> {
  const dir = fileURLToPath(new URL('../runtime/', import.meta.url));
  if (existsSync(join(dir, 'child.js'))) return dir;
  const names = (await readdir(dir)).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));
  const sources = await Promise.all(
    names.map(async (name) => [name, await readFile(join(dir, name), 'utf8')]),
  );
  const hash = createHash('sha256');
  for (const [name, text] of sources) hash.update(`${name}\0${text}\0`);
  const target = join(tmpdir(), `cemesh-function-runtime-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(target, 'child.js'))) return `${target}/`;
  const { default: ts } = await import('typescript');
  const staging = `${target}.${process.pid}`;
  await mkdir(staging, { recursive: true });
  for (const [name, text] of sources) {
    const output = ts.transpileModule(text!, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    await writeFile(join(staging, name!.replace(/\.ts$/, '.js')), output.outputText);
  }
  await writeFile(join(staging, 'package.json'), '{"type":"module"}\n');
  try {
    await rename(staging, target);
  } catch {
    // Another process transpiled the same files first; theirs are identical.
  }
  return `${target}/`;
}
