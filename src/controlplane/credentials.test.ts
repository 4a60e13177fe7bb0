import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isMeshError } from '../core/errors.js';
import { credentialHash, hashApplicationToken } from '../core/kyma/index.js';
import { createMemoryResourceStore } from '../store/memory/index.js';
import { createApplicationTokenIssuer } from './credentials.js';

async function storeWithApplication(): Promise<ReturnType<typeof createMemoryResourceStore>> {
  const resources = createMemoryResourceStore();
  await resources.create({
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'commerce', uid: 'a1' },
  });
  return resources;
}

describe('application token issuance', () => {
  test('a 256-bit base64url token; only its digest is stored; the gateway hears of it before it is returned', async () => {
    const resources = await storeWithApplication();
    const heard: string[] = [];
    const issue = createApplicationTokenIssuer({
      resources,
      onIssued: (app, hash) => heard.push(`${app} ${hash}`),
      now: () => new Date('2024-05-01T00:00:00Z'),
    });
    const token = await issue('commerce');
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    const credential = await resources.get({ kind: 'ApplicationCredential', name: 'commerce' });
    assert.ok(credential);
    assert.equal(credentialHash(credential), hashApplicationToken(token));
    assert.equal(JSON.stringify(credential).includes(token), false);
    assert.equal(credential.spec?.['issuedAt'], '2024-05-01T00:00:00.000Z');
    assert.deepEqual(heard, [`commerce ${hashApplicationToken(token)}`]);
  });

  test('a new token replaces the previous digest', async () => {
    const resources = await storeWithApplication();
    const issue = createApplicationTokenIssuer({ resources });
    const first = await issue('commerce');
    const second = await issue('commerce');
    assert.notEqual(first, second);
    const credential = await resources.get({ kind: 'ApplicationCredential', name: 'commerce' });
    assert.equal(credentialHash(credential!), hashApplicationToken(second));
    assert.equal(credential?.metadata.generation, 2);
  });

  test('no such Application: a not-found error (404 Status), nothing stored', async () => {
    const resources = createMemoryResourceStore();
    const issue = createApplicationTokenIssuer({ resources });
    await assert.rejects(issue('nobody'), (error: unknown) => {
      assert.ok(isMeshError(error));
      assert.equal(error.code, 'MESH_RESOURCE_NOT_FOUND');
      assert.match(error.message, /"nobody" not found/);
      return true;
    });
    assert.deepEqual(await resources.list('ApplicationCredential'), []);
  });
});
