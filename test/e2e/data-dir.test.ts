// The data folder is owned (issue 14, item 4): one process at a time, a damaged database is refused at
// start with a clear error and a non-zero exit (never silently replaced by an empty one), and the files
// that hold events and tokens are readable by the owner only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, truncate, unlink, writeFile, mkdir, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { binPath, startServerProcess } from '../support/process.js';
import { broker, startTestServer } from '../support/server.js';

/** Runs `cemesh serve` expecting it to refuse: resolves with its exit code and stderr. */
async function serveRefused(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', binPath, 'serve', '--port', '0', '--admin-port', '0', '--gateway-port', '0'].concat([
      '--data-dir',
      dataDir,
    ]),
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // A bound for a hung start, not a performance assertion: tsx alone takes seconds on a loaded machine.
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  assert.doesNotMatch(stdout, /cemesh ready/, 'it must not start');
  return { code, stderr };
}

async function withDir(run: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-dir-'));
  try {
    await run(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Starts an embedded server once, with a broker and an event in it, so the database has content. */
async function populate(dataDir: string): Promise<void> {
  const server = await startTestServer({ backend: 'embedded', dataDir });
  await server.apply(broker('default'));
  const res = await request(`${server.ingressUrl}/default/default`, {
    method: 'POST',
    headers: { 'ce-specversion': '1.0', 'ce-id': '1', 'ce-source': '/d', 'ce-type': 't' },
    body: 'x'.repeat(50_000),
  });
  assert.equal(res.statusCode, 202);
  await res.body.dump();
  await server.close();
}

test('a second cemesh on the same data folder exits non-zero naming the holder pid; after a kill -9 the folder is free', async () => {
  await withDir(async (dataDir) => {
    const first = await startServerProcess(['--data-dir', dataDir]);
    try {
      const second = await serveRefused(dataDir);
      assert.equal(second.code, 1);
      assert.match(
        second.stderr,
        new RegExp(`in use by another cemesh process \\(pid ${first.child.pid}\\)`),
      );
    } finally {
      await first.kill();
    }
    // The lock is the kernel's: a SIGKILLed holder leaves no stale lock behind.
    const third = await startServerProcess(['--data-dir', dataDir]);
    assert.equal(await third.stop(), 0);
  });
});

test('an empty (0-byte) database is refused, not replaced', async () => {
  await withDir(async (dataDir) => {
    await mkdir(join(dataDir, 'embedded'), { recursive: true });
    await writeFile(join(dataDir, 'embedded', 'cemesh.db'), '');
    const { code, stderr } = await serveRefused(dataDir);
    assert.equal(code, 1);
    assert.match(stderr, /cemesh\.db is empty \(0 bytes\)/);
    assert.equal((await stat(join(dataDir, 'embedded', 'cemesh.db'))).size, 0, 'left as found');
  });
});

test('a missing database, once created, is refused: no silent fresh start', async () => {
  await withDir(async (dataDir) => {
    await populate(dataDir);
    await unlink(join(dataDir, 'embedded', 'cemesh.db'));
    const { code, stderr } = await serveRefused(dataDir);
    assert.equal(code, 1);
    assert.match(stderr, /cemesh\.db is missing, but .*cemesh\.db\.created says it was created/);
  });
});

test('a truncated database is refused at start with a clear error', async () => {
  await withDir(async (dataDir) => {
    await populate(dataDir);
    const file = join(dataDir, 'embedded', 'cemesh.db');
    await truncate(file, Math.floor((await stat(file)).size / 2));
    await assert.rejects(startTestServer({ backend: 'embedded', dataDir }), (error: Error) => {
      assert.match(error.message, /cemesh\.db is (truncated, corrupt|corrupt)/);
      return true;
    });
  });
});

test('a database overwritten with garbage is refused at start', async () => {
  await withDir(async (dataDir) => {
    await populate(dataDir);
    await writeFile(join(dataDir, 'embedded', 'cemesh.db'), Buffer.alloc(64 * 1024, 7));
    await assert.rejects(startTestServer({ backend: 'embedded', dataDir }), /not a cemesh database/);
  });
});

test('the data folder is 0700, the database, its journal and the token files 0600', async () => {
  await withDir(async (dataDir) => {
    const server = await startTestServer({ backend: 'embedded', dataDir });
    try {
      await server.apply(broker('default'));
      const mode = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
      assert.equal(await mode(dataDir), 0o700);
      assert.equal(await mode(join(dataDir, 'embedded')), 0o700);
      assert.equal(await mode(join(dataDir, 'admin.token')), 0o600);
      for (const name of await readdir(join(dataDir, 'embedded'))) {
        assert.equal(await mode(join(dataDir, 'embedded', name)), 0o600, name);
      }
      assert.equal(await mode(join(dataDir, 'cemesh.lock')), 0o600);
      assert.equal(await mode(join(dataDir, 'cemesh.pid')), 0o600);
    } finally {
      await server.close();
    }
  });
});
