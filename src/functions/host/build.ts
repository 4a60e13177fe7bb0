/**
 * Turns a Function's inline source into files a replica can load: `handler.js` and `package.json` in a
 * folder per source version, and its npm dependencies installed once per distinct dependency set, in a cache
 * folder named by their hash, linked in as `node_modules`. A failed install rejects with npm's own error.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FunctionWiring } from '../../core/wiring.js';

export interface BuiltFunction {
  readonly sourceDir: string;
  readonly dependenciesDir: string | undefined;
}

export class BuildError extends Error {
  constructor(
    readonly reason: 'DependencyInstallFailed' | 'SourceWriteFailed',
    message: string,
  ) {
    super(message);
  }
}

/** An npm install that takes longer is stopped and reported. */
const INSTALL_TIMEOUT_MS = 5 * 60_000;

export class Builder {
  private readonly installs = new Map<string, Promise<string>>();

  constructor(private readonly root: string) {}

  async build(fn: FunctionWiring): Promise<BuiltFunction> {
    const dependencies = dependenciesOf(fn.dependencies);
    const dependenciesDir =
      dependencies === undefined ? undefined : await this.install(dependencies, fn.dependencies!);
    const sourceDir = join(
      this.root,
      'sources',
      fn.namespace,
      fn.name,
      hash(`${fn.source}\0${fn.dependencies ?? ''}`),
    );
    try {
      if (!existsSync(join(sourceDir, 'handler.js'))) {
        await mkdir(sourceDir, { recursive: true });
        await writeFile(join(sourceDir, 'package.json'), fn.dependencies?.trim() ? fn.dependencies : '{}\n');
        if (dependenciesDir !== undefined) {
          await rm(join(sourceDir, 'node_modules'), { force: true });
          await symlink(join(dependenciesDir, 'node_modules'), join(sourceDir, 'node_modules'), 'dir');
        }
        await writeFile(join(sourceDir, 'handler.js'), fn.source);
      }
    } catch (error) {
      throw new BuildError('SourceWriteFailed', `writing the source failed: ${String(error)}`);
    }
    return { sourceDir, dependenciesDir };
  }

  /** Installs a dependency set once; concurrent builds of the same set share one install. */
  private install(dependencies: Record<string, unknown>, text: string): Promise<string> {
    const key = hash(JSON.stringify(sorted(dependencies)));
    let install = this.installs.get(key);
    if (!install) {
      install = this.runInstall(join(this.root, 'dependencies', key), dependencies, text);
      this.installs.set(key, install);
      install.catch(() => this.installs.delete(key));
    }
    return install;
  }

  private async runInstall(
    dir: string,
    dependencies: Record<string, unknown>,
    text: string,
  ): Promise<string> {
    const marker = join(dir, '.installed');
    if (existsSync(marker)) return dir;
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const manifest = { name: 'cemesh-function-dependencies', private: true, dependencies };
    await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const { code, output } = await npmInstall(dir);
    if (code !== 0) {
      await rm(dir, { recursive: true, force: true });
      throw new BuildError(
        'DependencyInstallFailed',
        `npm install of ${firstLine(text)} failed: ${output.trim().split('\n').slice(-12).join('\n')}`,
      );
    }
    await writeFile(marker, new Date().toISOString());
    return dir;
  }
}

/**
 * Install scripts are not run: they would run with cemesh's rights, outside the permission model that
 * confines the function (packages that need a native build are therefore not supported).
 */
function npmInstall(dir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--omit=dev',
        '--no-package-lock',
        '--loglevel=error',
      ],
      {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, npm_config_update_notifier: 'false' },
      },
    );
    let output = '';
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      output += `\nnpm install did not finish within ${INSTALL_TIMEOUT_MS / 1000} s`;
      child.kill('SIGKILL');
    }, INSTALL_TIMEOUT_MS);
    child.on('error', (error) => {
      output += String(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The `dependencies` of a package.json text, or undefined when it has none. */
export function dependenciesOf(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const parsed = JSON.parse(text) as { dependencies?: Record<string, unknown> };
  const dependencies = parsed.dependencies;
  return dependencies && Object.keys(dependencies).length > 0 ? dependencies : undefined;
}

function sorted(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function firstLine(text: string): string {
  return JSON.stringify(JSON.parse(text).dependencies ?? {});
}
