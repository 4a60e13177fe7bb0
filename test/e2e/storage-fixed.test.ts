// Storage never moves under a broker (issue 14, item 2): a broker's storage is fixed when it is first
// resolved; Knative's config-br-defaults pointing every namespace at InMemoryChannel, applied later, changes
// the storage of new brokers only, across a restart too. `cemesh get brokers` shows it in a STORAGE column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Resource } from '../../src/core/resources/object.js';
import { runCli } from '../support/cli.js';
import { broker, namespace, startTestServer } from '../support/server.js';

async function manifests(file: string): Promise<Resource[]> {
  const text = await readFile(join(import.meta.dirname, '..', 'manifests', file), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJSON() as Resource);
}

test('applying InMemoryChannel defaults later keeps existing brokers where they are; new ones follow the defaults', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cemesh-storage-'));
  try {
    let server = await startTestServer({ backend: 'embedded', dataDir });
    await server.apply(namespace('shop'), broker('default', 'shop'));
    await server.apply(
      ...(await manifests('channel-template.yaml')),
      ...(await manifests('config-br-defaults.yaml')),
    );
    await server.apply(namespace('late'), broker('default', 'late'));
    const storage = async (): Promise<Record<string, string>> => {
      const brokers = await server.api('GET', '/apis/eventing.knative.dev/v1/brokers');
      return Object.fromEntries(
        brokers.body.items.map((b: any) => [b.metadata.namespace, String(b.status?.persistence?.kind)]),
      );
    };
    assert.deepEqual(await storage(), { late: 'memory', shop: 'embedded' });

    const listed = await runCli(['get', 'brokers', '-n', 'shop'], {
      env: { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token },
    });
    assert.equal(listed.code, 0, listed.stderr);
    const [header, row] = listed.stdout.trim().split('\n');
    assert.match(header ?? '', /\bSTORAGE\b/);
    assert.match(row ?? '', /\bembedded\b/);

    await server.close();
    server = await startTestServer({ backend: 'embedded', dataDir });
    try {
      assert.deepEqual(
        await storage(),
        { late: 'memory', shop: 'embedded' },
        'a restart does not move it either',
      );
    } finally {
      await server.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
