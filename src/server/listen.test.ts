import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEFAULT_LIMITS } from './limits.js';
import { listen } from './listen.js';

const base = { limits: DEFAULT_LIMITS, handler: () => {} };

test('a port in use is refused naming the listener, the flag and the variable that move it', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as AddressInfo;
  try {
    await assert.rejects(
      listen({ ...base, host: '127.0.0.1', port, name: 'admin', portSetting: 'adminPort' }),
      new RegExp(
        `^Error: admin port ${port} on 127\\.0\\.0\\.1 is already in use: choose another with --admin-port ` +
          `\\(env CEMESH_ADMIN_PORT\\), or --admin-port 0 for a free one$`,
      ),
    );
  } finally {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  }
});

test('a host that is not this machine names --host', async () => {
  await assert.rejects(
    listen({ ...base, host: '192.0.2.1', port: 0, name: 'ingress', portSetting: 'port' }),
    /ingress: 192\.0\.2\.1 is not an address of this machine: choose another with --host/,
  );
});
