// ARCHITECTURE 2.4: the API requires the admin token, written on first start to <data-dir>/admin.token with
// mode 0600 and kept across restarts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stat, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { startTestServer } from '../support/server.js';

test('the admin token file is mode 0600, survives a restart, and the API refuses requests without it', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-token-'));
  try {
    const first = await startTestServer({ dataDir });
    const file = join(dataDir, 'admin.token');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await readFile(file, 'utf8')).trim(), first.token);
    for (const authorization of [undefined, 'Bearer wrong', `Basic ${first.token}`]) {
      const res = await request(`${first.adminUrl}/api/v1/namespaces`, {
        headers: authorization ? { authorization } : {},
      });
      assert.equal(res.statusCode, 401, String(authorization));
      const body = (await res.body.json()) as { kind: string; reason: string };
      assert.equal(body.kind, 'Status');
      assert.equal(body.reason, 'Unauthorized');
    }
    const ok = await request(`${first.adminUrl}/api/v1/namespaces`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    assert.equal(ok.statusCode, 200);
    await ok.body.dump();
    const health = await request(`${first.adminUrl}/healthz`);
    assert.equal(health.statusCode, 200, 'health needs no token');
    await health.body.dump();
    await first.close();
    const second = await startTestServer({ dataDir });
    assert.equal(second.token, first.token);
    await second.close();
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
