/**
 * Sender authorization at broker ingress (docs/security.md): EventPolicies, the default authorization mode
 * of config-features, sender tokens, replies re-entering a broker as their trigger, and the rule that an
 * event claiming a registered application's source needs a sender that may speak for it. Before this,
 * anyone reaching ingress could send anything to any broker, including events posing as an application.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'undici';
import type { Resource } from '../../src/core/resources/object.js';
import { broker, namespace, startTestServer, trigger, type TestServer } from '../support/server.js';
import { startSubscriber } from '../support/subscriber.js';
import { runCli } from '../support/cli.js';

async function send(
  server: TestServer,
  path: string,
  token?: string,
  attributes: Record<string, string> = {},
): Promise<{ status: number; body: string; authenticate: unknown }> {
  const response = await request(`${server.ingressUrl}/${path}`, {
    method: 'POST',
    headers: {
      'ce-specversion': '1.0',
      'ce-id': attributes['id'] ?? 'e1',
      'ce-source': attributes['source'] ?? '/test',
      'ce-type': attributes['type'] ?? 'order.created',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
  });
  return {
    status: response.statusCode,
    body: await response.body.text(),
    authenticate: response.headers['www-authenticate'],
  };
}

function policy(name: string, ns: string, spec: Record<string, unknown>): Resource {
  return {
    apiVersion: 'eventing.knative.dev/v1alpha1',
    kind: 'EventPolicy',
    metadata: { name, namespace: ns },
    spec,
  };
}

function features(mode: string): Resource {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'config-features', namespace: 'knative-eventing' },
    data: { 'default-authorization-mode': mode },
  } as Resource;
}

async function issue(server: TestServer, ns: string, subject: string): Promise<string> {
  const result = await server.api(
    'POST',
    `/apis/security.cemesh.dev/v1alpha1/namespaces/${ns}/sendertokens`,
    {
      subject,
    },
  );
  assert.equal(result.status, 201, JSON.stringify(result.body));
  return result.body.token as string;
}

async function settled(server: TestServer): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 20));
  await server.reconciler.idle();
}

test('an EventPolicy lets in only the subjects it names, and only the events its filters pass', async () => {
  const server = await startTestServer();
  try {
    await server.apply(namespace('shop'), broker('orders', 'shop'), broker('other', 'shop'));
    const allowed = await issue(server, 'shop', 'system:serviceaccount:shop:checkout');
    const stranger = await issue(server, 'shop', 'system:serviceaccount:shop:intruder');
    // Before any policy (allow-all, the default), anyone may send: existing senders keep working.
    assert.equal((await send(server, 'shop/orders')).status, 202);

    await server.apply(
      policy('checkout-only', 'shop', {
        to: [{ ref: { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: 'orders' } }],
        from: [{ sub: 'system:serviceaccount:shop:check*' }],
        filters: [{ prefix: { type: 'order.' } }],
      }),
    );
    const noCredential = await send(server, 'shop/orders');
    assert.equal(noCredential.status, 401, noCredential.body);
    assert.match(String(noCredential.authenticate), /^Bearer/);
    assert.equal((await send(server, 'shop/orders', 'not-a-token')).status, 401);
    const forbidden = await send(server, 'shop/orders', stranger);
    assert.equal(forbidden.status, 403, forbidden.body);
    assert.match(forbidden.body, /MESH_FORBIDDEN/);
    assert.equal((await send(server, 'shop/orders', allowed)).status, 202);
    const filtered = await send(server, 'shop/orders', allowed, { type: 'refund.created' });
    assert.equal(filtered.status, 403, filtered.body);
    // The policy selects one broker; the other one still follows the default mode.
    assert.equal((await send(server, 'shop/other')).status, 202);

    const status = (await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/shop/brokers/orders'))
      .body.status;
    assert.deepEqual(status.policies, [
      { apiVersion: 'eventing.knative.dev/v1alpha1', name: 'checkout-only' },
    ]);
    const condition = status.conditions.find((c: { type: string }) => c.type === 'EventPoliciesReady');
    assert.equal(condition.status, 'True');
    const other = (await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/shop/brokers/other'))
      .body.status;
    assert.equal(other.policies, undefined);
    const defaulted = other.conditions.find((c: { type: string }) => c.type === 'EventPoliciesReady');
    assert.equal(defaulted.reason, 'DefaultAuthorizationMode');
    const read = await server.api(
      'GET',
      '/apis/eventing.knative.dev/v1alpha1/namespaces/shop/eventpolicies/checkout-only',
    );
    assert.deepEqual(read.body.status.from, ['system:serviceaccount:shop:check*']);

    // Deleting the token revokes it.
    const listed = await server.api('GET', '/apis/security.cemesh.dev/v1alpha1/namespaces/shop/sendertokens');
    assert.equal(listed.body.items.length, 2);
    assert.equal(JSON.stringify(listed.body).includes(allowed), false);
    const name = listed.body.items.find(
      (t: { subject: string }) => t.subject === 'system:serviceaccount:shop:checkout',
    ).metadata.name;
    const deleted = await server.api(
      'DELETE',
      `/apis/security.cemesh.dev/v1alpha1/namespaces/shop/sendertokens/${name}`,
    );
    assert.equal(deleted.status, 200);
    await settled(server);
    assert.equal((await send(server, 'shop/orders', allowed)).status, 401);
  } finally {
    await server.stop();
  }
});

test('a label selector picks the brokers a policy applies to', async () => {
  const server = await startTestServer();
  try {
    const labelled = {
      ...broker('audited', 'default'),
      metadata: { name: 'audited', namespace: 'default', labels: { tier: 'audited' } },
    };
    await server.apply(labelled, broker('plain'));
    await server.apply(
      policy('audited-only', 'default', {
        to: [
          {
            selector: {
              apiVersion: 'eventing.knative.dev/v1',
              kind: 'Broker',
              matchExpressions: [{ key: 'tier', operator: 'In', values: ['audited'] }],
            },
          },
        ],
        from: [{ sub: 'system:serviceaccount:default:auditor' }],
      }),
    );
    assert.equal((await send(server, 'default/audited')).status, 401);
    assert.equal((await send(server, 'default/plain')).status, 202);
  } finally {
    await server.stop();
  }
});

test('default-authorization-mode: allow-same-namespace and deny-all', async () => {
  const server = await startTestServer();
  try {
    await server.apply(namespace('team-a'), namespace('team-b'), broker('default', 'team-a'));
    const own = await issue(server, 'team-a', 'system:serviceaccount:team-a:app');
    const foreign = await issue(server, 'team-b', 'system:serviceaccount:team-b:app');
    const plain = await issue(server, 'team-a', 'billing-service');
    await server.apply(features('allow-same-namespace'));
    assert.equal((await send(server, 'team-a/default')).status, 401);
    assert.equal((await send(server, 'team-a/default', foreign)).status, 403);
    assert.equal((await send(server, 'team-a/default', own)).status, 202);
    // A token's namespace is the namespace it was issued in, whatever its subject looks like.
    assert.equal((await send(server, 'team-a/default', plain)).status, 202);

    await server.apply(features('deny-all'));
    assert.equal((await send(server, 'team-a/default')).status, 401);
    assert.equal((await send(server, 'team-a/default', own)).status, 403);
    // A policy opens a broker that deny-all closed.
    await server.apply(policy('app', 'team-a', { from: [{ sub: 'system:serviceaccount:team-a:app' }] }));
    assert.equal((await send(server, 'team-a/default', own)).status, 202);

    const invalid = await server.api(
      'PUT',
      '/api/v1/namespaces/knative-eventing/configmaps/config-features',
      {
        ...features('allow-some'),
      },
    );
    assert.equal(invalid.status, 422);
    assert.match(JSON.stringify(invalid.body), /default-authorization-mode/);
  } finally {
    await server.stop();
  }
});

test('replies re-enter their broker as their trigger, so allow-same-namespace keeps them working', async () => {
  const replying = await startSubscriber((n) =>
    n === 1
      ? {
          status: 200,
          headers: {
            'ce-specversion': '1.0',
            'ce-id': 'r1',
            'ce-source': '/replier',
            'ce-type': 'reply.made',
          },
        }
      : { status: 200 },
  );
  const sink = await startSubscriber();
  const server = await startTestServer();
  try {
    await server.apply(namespace('team-a'), broker('default', 'team-a'), features('allow-same-namespace'));
    const token = await issue(server, 'team-a', 'system:serviceaccount:team-a:app');
    await server.apply(
      trigger(
        'replier',
        {
          broker: 'default',
          filter: { attributes: { type: 'order.created' } },
          subscriber: { uri: replying.url },
        },
        'team-a',
      ),
      trigger(
        'replies',
        { broker: 'default', filter: { attributes: { type: 'reply.made' } }, subscriber: { uri: sink.url } },
        'team-a',
      ),
    );
    assert.equal((await send(server, 'team-a/default', token)).status, 202);
    const [reply] = await sink.waitFor(1);
    assert.equal(reply?.headers['ce-id'], 'r1');
  } finally {
    await server.stop();
    await replying.close();
    await sink.close();
  }
});

test('an event claiming a registered application as its source needs a sender that speaks for it', async () => {
  const server = await startTestServer();
  try {
    await server.apply({
      apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop-app' },
      spec: {},
    } as Resource);
    await server.apply(broker('default'));
    const other = await issue(server, 'default', 'system:serviceaccount:default:relay');
    const app = await issue(server, 'default', 'application:shop-app');
    const spoof = await send(server, 'default/default', undefined, { source: 'shop-app' });
    assert.equal(spoof.status, 403, spoof.body);
    assert.match(spoof.body, /registered Application/);
    assert.equal((await send(server, 'default/default', other, { source: 'shop-app' })).status, 403);
    assert.equal((await send(server, 'default/default', app, { source: 'shop-app' })).status, 202);
    // Other sources are unaffected under allow-all.
    assert.equal((await send(server, 'default/default', undefined, { source: 'another' })).status, 202);
    // A policy that names the application lets the senders it allows speak for it.
    await server.apply(
      policy('relay', 'default', {
        from: [
          {
            ref: {
              apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
              kind: 'Application',
              name: 'shop-app',
            },
          },
          { sub: 'system:serviceaccount:default:relay' },
        ],
      }),
    );
    assert.equal((await send(server, 'default/default', other, { source: 'shop-app' })).status, 202);
  } finally {
    await server.stop();
  }
});

test('sender token requests are validated', async () => {
  const server = await startTestServer();
  try {
    const path = '/apis/security.cemesh.dev/v1alpha1/namespaces/default/sendertokens';
    assert.equal((await server.api('POST', path, {})).status, 422);
    assert.equal((await server.api('POST', path, { subject: 'a b' })).status, 422);
    assert.equal((await server.api('POST', path, { subject: 'wild*' })).status, 422);
    assert.equal((await server.api('POST', path, { subject: 'system:serviceaccount:other:x' })).status, 422);
    assert.equal((await server.api('POST', path, { subject: 's', extra: 1 })).status, 422);
    assert.equal(
      (
        await server.api('POST', '/apis/security.cemesh.dev/v1alpha1/namespaces/nope/sendertokens', {
          subject: 's',
        })
      ).status,
      404,
    );
    const unauthenticated = await request(`${server.adminUrl}${path}`);
    assert.equal(unauthenticated.statusCode, 401);
    await unauthenticated.body.dump();
  } finally {
    await server.stop();
  }
});

test('cemesh token create, list and delete', async () => {
  const server = await startTestServer();
  const env = { CEMESH_SERVER: server.adminUrl, CEMESH_TOKEN: server.token };
  try {
    await server.apply(namespace('shop'), broker('orders', 'shop'));
    await server.apply(policy('only', 'shop', { from: [{ sub: 'system:serviceaccount:shop:checkout' }] }));
    const created = await runCli(
      [
        'token',
        'create',
        '--subject',
        'system:serviceaccount:shop:checkout',
        '--name',
        'checkout',
        '-n',
        'shop',
      ],
      { env },
    );
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    await settled(server);
    assert.equal((await send(server, 'shop/orders', token)).status, 202);

    const listed = await runCli(['token', 'list', '-n', 'shop'], { env });
    assert.match(listed.stdout, /NAMESPACE\s+NAME\s+SUBJECT/);
    assert.match(listed.stdout, /shop\s+checkout\s+system:serviceaccount:shop:checkout/);
    assert.equal(listed.stdout.includes(token), false);

    const deleted = await runCli(['token', 'delete', 'checkout', '-n', 'shop'], { env });
    assert.equal(deleted.code, 0, deleted.stderr);
    await settled(server);
    assert.equal((await send(server, 'shop/orders', token)).status, 401);
    const again = await runCli(['token', 'delete', 'checkout', '-n', 'shop'], { env });
    assert.equal(again.code, 1);
    assert.match(again.stderr, /not found/);
  } finally {
    await server.stop();
  }
});
