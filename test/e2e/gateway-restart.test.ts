// Application credentials and bindings survive a restart (ARCHITECTURE 2.3, 2.6): only the token digest is
// stored (embedded backend), and the reconciler hands it and the bindings to the gateway at start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { namespace, startTestServer, trigger } from '../support/server.js';
import { startSubscriber } from '../support/subscriber.js';

const GROUP = '/apis/applicationconnector.kyma-project.io/v1alpha1';

test('a token issued before a restart still works after it, and is stored only as a digest', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-gateway-'));
  const sub = await startSubscriber();
  try {
    const first = await startTestServer({ backend: 'embedded', dataDir });
    await first.apply(
      namespace('shop'),
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'commerce' },
      },
      {
        apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
        kind: 'ApplicationMapping',
        metadata: { name: 'commerce', namespace: 'shop' },
      },
      trigger('all', { broker: 'default', subscriber: { uri: sub.url } }, 'shop'),
    );
    const token = (
      (await first.api('POST', `${GROUP}/applications/commerce/token`)).body as { token: string }
    ).token;
    await first.stop();

    for (const file of await readdir(dataDir, { recursive: true })) {
      const path = join(dataDir, String(file));
      const bytes = await readFile(path).catch(() => Buffer.alloc(0));
      assert.equal(bytes.includes(token), false, `${path} holds the token in clear`);
    }

    const second = await startTestServer({ backend: 'embedded', dataDir });
    try {
      const res = await request(`${second.gatewayUrl}/commerce/events`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'ce-specversion': '1.0',
          'ce-id': 'after-restart',
          'ce-source': 'x',
          'ce-type': 'order.created',
        },
        body: '',
      });
      assert.equal(res.statusCode, 202, await res.body.text());
      const [got] = await sub.waitFor(1);
      assert.equal(got?.headers['ce-id'], 'after-restart');
      assert.equal(got?.headers['ce-source'], 'commerce');
    } finally {
      await second.stop();
    }
  } finally {
    await sub.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
