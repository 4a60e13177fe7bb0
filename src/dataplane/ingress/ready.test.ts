// Ingress refuses with 503 until the server says every stored broker and trigger is wired, so no event is
// accepted before its triggers can get a delivery for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { MeshError } from '../../core/errors.js';
import { silentLogger } from '../../core/logger.js';
import { noMetrics } from '../metrics.js';
import type { Mesh } from '../mesh.js';
import { createIngressHandler } from './handler.js';

test('ingress answers 503 with Retry-After while the server is starting, then serves', async () => {
  let ready = false;
  const mesh = {
    accepting: (namespace: string, name: string) => {
      throw new MeshError('MESH_BROKER_NOT_FOUND', `broker ${namespace}/${name} does not exist`);
    },
  } as unknown as Mesh;
  const server = createServer(
    createIngressHandler({
      mesh,
      maxBodyBytes: 1024,
      logger: silentLogger,
      metrics: noMetrics,
      isReady: () => ready,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/default/default`;
  try {
    const starting = await request(url, { method: 'POST', body: '' });
    assert.equal(starting.statusCode, 503);
    assert.equal(starting.headers['retry-after'], '1');
    assert.equal(((await starting.body.json()) as { code: string }).code, 'MESH_BACKEND_UNAVAILABLE');
    ready = true;
    const after = await request(url, { method: 'POST', body: '' });
    assert.equal(after.statusCode, 404, 'past the gate, the unknown broker is reported');
    await after.body.dump();
  } finally {
    server.close();
  }
});
