// The `cemesh` CLI end to end (ARCHITECTURE 2.5): the program runs in-process through test/support/cli.ts
// (createProgram + parseAsync, stdout/stderr/exit code captured) against ONLY the API handler on port 0.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtemp, mkdir, writeFile, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeQueries } from '../../src/controlplane/api/runtime.js';
import { runCli, startApi, type ApiServer, type CliOptions } from '../support/cli.js';

let api: ApiServer;
let env: Record<string, string>;
let dir: string;
const replays: string[] = [];

const runtime: RuntimeQueries = {
  async *tail(ref, signal) {
    for (let i = 1; i <= 3 && !signal.aborted; i++) {
      yield { specversion: '1.0', id: `t${i}`, source: '/tail', type: 'tail.event', subject: ref.name };
    }
  },
  async deliveries(query) {
    if (query.id === 'missing') return [];
    return [
      {
        namespace: query.namespace,
        broker: query.broker ?? 'default',
        source: '/orders',
        id: query.id ?? 'o-1',
        type: 'order.created',
        acceptedAt: new Date(Date.now() - 5_000).toISOString(),
        filtered: false,
        triggers: {
          shipping: {
            trigger: 'shipping',
            outcome: 'dead-lettered',
            attempts: [
              {
                at: '2024-05-01T12:00:00Z',
                attempt: 1,
                target: 'subscriber',
                uri: 'http://ship/',
                status: 503,
                durationMs: 4,
              },
              {
                at: '2024-05-01T12:00:01Z',
                attempt: 2,
                target: 'dead-letter',
                uri: 'http://dls/',
                status: 202,
                durationMs: 3,
              },
            ],
          },
        },
      },
    ];
  },
  async replay(ref, since) {
    replays.push(`${ref.namespace}/${ref.name}@${since.toISOString()}`);
    return 7;
  },
  async issueApplicationToken(name) {
    return `app-token-${name}`;
  },
};

before(async () => {
  api = await startApi({ runtime });
  env = { CEMESH_SERVER: api.url, CEMESH_TOKEN: api.token };
  dir = await mkdtemp(join(tmpdir(), 'cemesh-cli-'));
});
after(async () => {
  await api.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(args: string[], options: CliOptions = {}): ReturnType<typeof runCli> {
  return runCli(args, { env, ...options });
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const brokerYaml = (name: string, extra = ''): string =>
  `apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: ${name}\n${extra}`;

const triggerYaml = (
  name: string,
  broker: string,
  uri = 'http://sub.example/',
): string => `apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: ${name}
spec:
  broker: ${broker}
  subscriber:
    uri: ${uri}
`;

async function setStatus(
  kind: string,
  name: string,
  status: Record<string, unknown>,
  namespace = 'default',
): Promise<void> {
  const stored = await api.store.get({ kind, namespace, name });
  assert.ok(stored, `${kind} ${name} exists`);
  await api.store.replace({ ...stored, status });
}

test('apply prints created, then unchanged, then configured, kubectl-style', async () => {
  const path = await file('orders.yaml', brokerYaml('orders'));
  const first = await cli(['apply', '-f', path]);
  assert.deepEqual(first, { code: 0, stdout: 'broker.eventing.knative.dev/orders created\n', stderr: '' });
  const second = await cli(['apply', '-f', path]);
  assert.equal(second.stdout, 'broker.eventing.knative.dev/orders unchanged\n');
  await writeFile(path, brokerYaml('orders', 'spec:\n  delivery:\n    retry: 3\n'));
  const third = await cli(['apply', '-f', path]);
  assert.equal(third.stdout, 'broker.eventing.knative.dev/orders configured\n');
  assert.equal(third.code, 0);
});

test('apply reads multi-document YAML from stdin and JSON files', async () => {
  const yaml = `${brokerYaml('multi')}---\n${triggerYaml('multi-t', 'multi')}---\n`;
  const stdin = await cli(['apply', '-f', '-'], { stdin: yaml });
  assert.equal(
    stdin.stdout,
    'broker.eventing.knative.dev/multi created\ntrigger.eventing.knative.dev/multi-t created\n',
  );
  const json = await file(
    'cm.json',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-json' },
      data: { a: '1' },
    }),
  );
  assert.equal((await cli(['apply', '-f', json])).stdout, 'configmap/from-json created\n');
  const list = await file(
    'list.json',
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'List',
      items: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'listed' } }],
    }),
  );
  assert.equal((await cli(['apply', '-f', list])).stdout, 'namespace/listed created\n');
});

test('apply reports a YAML syntax error with its file and line, and sends nothing', async () => {
  const path = await file('broken.yaml', `${brokerYaml('never')}---\nkind: [unclosed\n`);
  const result = await cli(['apply', '-f', path]);
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /broken\.yaml \(document 2\): invalid YAML\/JSON at line 7, column 1: Flow sequence/,
  );
  assert.equal((await cli(['get', 'broker', 'never'])).code, 1);
});

test('an invalid object prints the 422 message and every cause, and exits non-zero', async () => {
  const result = await cli(['apply', '-f', '-'], {
    stdin: `apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: invalid
spec:
  filters:
    - exact: {type: a}
      prefix: {type: b}
  delivery:
    backoffDelay: soon
`,
  });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /error: standard input, "invalid": Trigger\.eventing\.knative\.dev "invalid" is invalid/,
  );
  for (const field of ['spec.subscriber', 'spec.filters[0]', 'spec.delivery.backoffDelay']) {
    assert.ok(result.stderr.includes(`\n  ${field}: `), `a line for ${field} in:\n${result.stderr}`);
  }
});

test('a stale resourceVersion is a 409 conflict', async () => {
  await cli(['apply', '-f', '-'], { stdin: brokerYaml('versioned') });
  const result = await cli(['apply', '-f', '-'], {
    stdin: `${brokerYaml('versioned')}  resourceVersion: "1"\nspec:\n  delivery:\n    retry: 1\n`,
  });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /Operation cannot be fulfilled on brokers\.eventing\.knative\.dev "versioned": the object has been modified/,
  );
});

test('get prints the broker table: NAME, READY, REASON, URL, STORAGE, AGE', async () => {
  await cli(['apply', '-f', '-'], { stdin: brokerYaml('tabled') });
  await setStatus('Broker', 'tabled', {
    conditions: [{ type: 'Ready', status: 'True' }],
    address: { url: 'http://127.0.0.1:8080/default/tabled' },
    persistence: { kind: 'embedded', source: 'server default' },
  });
  const result = await cli(['get', 'brokers']);
  assert.equal(result.code, 0);
  const lines = result.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^NAME\s+READY\s+REASON\s+URL\s+STORAGE\s+AGE$/);
  const row = lines.find((l) => l.startsWith('tabled '));
  assert.match(row ?? '', /^tabled\s+True\s+http:\/\/127\.0\.0\.1:8080\/default\/tabled\s+embedded\s+\d+s$/);
});

test('get prints the trigger table: NAME, BROKER, SUBSCRIBER_URI, AGE, READY, REASON', async () => {
  await cli(['apply', '-f', '-'], { stdin: triggerYaml('early', 'not-yet') });
  await setStatus('Trigger', 'early', {
    conditions: [{ type: 'Ready', status: 'False', reason: 'BrokerDoesNotExist' }],
    subscriberUri: 'http://sub.example/',
  });
  const result = await cli(['get', 'tr', 'early']);
  const [header, row] = result.stdout.trimEnd().split('\n');
  assert.match(header ?? '', /^NAME\s+BROKER\s+SUBSCRIBER_URI\s+AGE\s+READY\s+REASON$/);
  assert.match(row ?? '', /^early\s+not-yet\s+http:\/\/sub\.example\/\s+\d+s\s+False\s+BrokerDoesNotExist$/);
});

test('get -o yaml and -o json print the objects; one name prints one object', async () => {
  const yaml = await cli(['get', 'broker', 'tabled', '-o', 'yaml']);
  assert.match(
    yaml.stdout,
    /^apiVersion: eventing\.knative\.dev\/v1\nkind: Broker\nmetadata:\n {2}name: tabled/,
  );
  const json = JSON.parse((await cli(['get', 'brokers', '-o', 'json'])).stdout) as {
    kind: string;
    items: unknown[];
  };
  assert.equal(json.kind, 'List');
  assert.ok(json.items.length >= 2);
  const one = JSON.parse((await cli(['get', 'broker/tabled', '-o', 'json'])).stdout) as {
    metadata: { name: string };
  };
  assert.equal(one.metadata.name, 'tabled');
  const bad = await cli(['get', 'brokers', '-o', 'xml']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /unknown output format "xml"/);
});

test('get -A lists every namespace with a NAMESPACE column; -n picks one', async () => {
  await cli(['apply', '-f', '-'], {
    stdin: `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-b\n---\n${brokerYaml('remote')}  namespace: team-b\n`,
  });
  const all = await cli(['get', 'brk', '-A']);
  assert.match(all.stdout.split('\n')[0] ?? '', /^NAMESPACE\s+NAME\s+READY/);
  assert.match(all.stdout, /\nteam-b\s+remote\s/);
  assert.match(all.stdout, /\ndefault\s+tabled\s/);
  const one = await cli(['get', 'brokers', '-n', 'team-b']);
  assert.deepEqual(
    one.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/\s+/)[0]),
    ['remote'],
  );
  const none = await cli(['get', 'brokers', '-n', 'listed']);
  assert.equal(none.stderr, 'No resources found in listed namespace.\n');
  const namespaces = await cli(['get', 'ns']);
  assert.match(namespaces.stdout, /^NAME\s+READY\s+PERSISTENCE\s+AGE\n/);
});

test('get -w prints the list, then each change once, until stopped', async () => {
  await cli(['apply', '-f', '-'], { stdin: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: watched\n' });
  await cli(['apply', '-f', '-'], { stdin: `${brokerYaml('w1')}  namespace: watched\n` });
  const controller = new AbortController();
  let changed = false;
  const result = await cli(['get', 'brokers', '-n', 'watched', '-w'], {
    signal: controller.signal,
    onStdout: (_chunk, all) => {
      if (!changed && all.includes('w1')) {
        changed = true;
        // Made after the list: the watch must show it, resumed from the list's resourceVersion.
        void cli(['apply', '-f', '-'], { stdin: `${brokerYaml('w2')}  namespace: watched\n` });
      }
      if (all.includes('w2')) controller.abort();
    },
  });
  assert.equal(result.code, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^NAME\s+READY/);
  assert.deepEqual(
    lines.slice(1).map((l) => l.split(/\s+/)[0]),
    ['w1', 'w2'],
  );
});

test('get -w -o json prints one watch event a line', async () => {
  const controller = new AbortController();
  const result = await cli(['get', 'broker', 'w1', '-n', 'watched', '-w', '-o', 'json'], {
    signal: controller.signal,
    onStdout: (_chunk, all) => {
      if (all.includes('"w1"')) controller.abort();
    },
  });
  const event = JSON.parse(result.stdout.split('\n')[0] ?? '') as {
    type: string;
    object: { metadata: { name: string } };
  };
  assert.equal(event.type, 'ADDED');
  assert.equal(event.object.metadata.name, 'w1');
});

test('describe shows metadata, spec, conditions and recent deliveries', async () => {
  await setStatus('Broker', 'tabled', {
    observedGeneration: 1,
    conditions: [
      {
        type: 'Ready',
        status: 'False',
        reason: 'Unwired',
        message: 'no route yet',
        lastTransitionTime: new Date().toISOString(),
      },
    ],
    address: { url: 'http://x/' },
  });
  const result = await cli(['describe', 'broker', 'tabled']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(
    result.stdout,
    /^Name: {9}tabled\nNamespace: {4}default\nKind: {9}Broker \(eventing\.knative\.dev\/v1\)/,
  );
  assert.match(result.stdout, /Annotations: {2}eventing\.knative\.dev\/broker\.class=MTChannelBasedBroker/);
  assert.match(result.stdout, /\nSpec: \{\}\nStatus:\n {2}address:\n {4}url: http:\/\/x\/\n/);
  assert.match(
    result.stdout,
    /\nConditions:\n {2}TYPE\s+STATUS\s+REASON\s+AGE\s+MESSAGE\n {2}Ready\s+False\s+Unwired\s+\d+s\s+no route yet/,
  );
  assert.match(
    result.stdout,
    /\nRecent deliveries:\n {2}AGE\s+ID\s+SOURCE\s+TYPE\s+TRIGGER\s+OUTCOME\s+ATTEMPTS\s+LAST\n/,
  );
  assert.match(result.stdout, /o-1\s+\/orders\s+order\.created\s+shipping\s+dead-lettered\s+2\s+HTTP 202/);
  const missing = await cli(['describe', 'broker', 'nobody']);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'error: brokers.eventing.knative.dev "nobody" not found\n');
});

test('delete KIND NAME and delete -f print what was deleted', async () => {
  await cli(['apply', '-f', '-'], { stdin: brokerYaml('gone') });
  const byName = await cli(['delete', 'broker', 'gone']);
  assert.deepEqual(byName, { code: 0, stdout: 'broker.eventing.knative.dev "gone" deleted\n', stderr: '' });
  const again = await cli(['delete', 'broker', 'gone']);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /"gone" not found/);
  assert.equal((await cli(['delete', 'broker', 'gone', '--ignore-not-found'])).code, 0);
  const path = await file('pair.yaml', `${brokerYaml('pair')}---\n${triggerYaml('pair-t', 'pair')}`);
  await cli(['apply', '-f', path]);
  const byFile = await cli(['delete', '-f', path]);
  assert.equal(
    byFile.stdout,
    'broker.eventing.knative.dev "pair" deleted\ntrigger.eventing.knative.dev "pair-t" deleted\n',
  );
});

test('unknown kinds are refused naming the kind', async () => {
  const get = await cli(['get', 'widgets']);
  assert.equal(get.code, 1);
  assert.match(get.stderr, /^error: unknown kind "widgets"; cemesh serves namespaces, configmaps, brokers/);
  const apply = await cli(['apply', '-f', '-'], {
    stdin: 'apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n',
  });
  assert.equal(apply.code, 1);
  assert.match(apply.stderr, /kind: unknown kind "Widget" in example\.com\/v1/);
});

test('without a valid token the CLI says where the admin token comes from', async () => {
  const result = await runCli(['get', 'brokers'], { env: { CEMESH_SERVER: api.url }, cwd: dir });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Unauthorized/);
  assert.match(
    result.stderr,
    /--token, the CEMESH_TOKEN environment variable, or <data-dir>\/admin\.token \(default \.\/\.cemesh\/admin\.token\)/,
  );
  const wrong = await runCli(['--token', 'wrong', 'get', 'brokers'], { env: { CEMESH_SERVER: api.url } });
  assert.match(wrong.stderr, /the bearer token is not valid/);
});

test('the token is read from ./.cemesh/admin.token, or from $CEMESH_DATA_DIR/admin.token', async () => {
  const cwd = join(dir, 'machine');
  await mkdir(join(cwd, '.cemesh'), { recursive: true });
  await writeFile(join(cwd, '.cemesh', 'admin.token'), `${api.token}\n`);
  assert.equal((await runCli(['get', 'brokers'], { env: { CEMESH_SERVER: api.url }, cwd })).code, 0);
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  await writeFile(join(dataDir, 'admin.token'), api.token);
  const fromDataDir = await runCli(['--server', api.url, 'get', 'brokers'], {
    env: { CEMESH_DATA_DIR: dataDir },
    cwd: dir,
  });
  assert.equal(fromDataDir.code, 0, fromDataDir.stderr);
});

test('an unreachable server is reported with the URL tried and how to start one', async () => {
  const result = await runCli(['get', 'brokers'], {
    env: { CEMESH_SERVER: 'http://127.0.0.1:9', CEMESH_TOKEN: 'x' },
  });
  assert.equal(result.code, 1);
  assert.match(
    result.stderr,
    /cannot reach the cemesh API at http:\/\/127\.0\.0\.1:9 .*Start a server with `cemesh serve`/s,
  );
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

async function receiver(
  status = 202,
  reply = '',
): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(reply);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('send --url posts a binary-mode event with extensions and JSON data', async () => {
  const sink = await receiver();
  try {
    const result = await cli([
      'send',
      '--url',
      sink.url,
      '--type',
      'order.created',
      '--source',
      '/shop',
      '--id',
      'o-9',
      '--data',
      '{"total": 3}',
      '--ext',
      'tenant=acme',
      '--ext',
      'Region=eu',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `event o-9 sent to ${sink.url}: HTTP 202\n`);
    const [got] = sink.received;
    assert.equal(got?.headers['ce-type'], 'order.created');
    assert.equal(got?.headers['ce-source'], '/shop');
    assert.equal(got?.headers['ce-specversion'], '1.0');
    assert.equal(got?.headers['ce-tenant'], 'acme');
    assert.equal(got?.headers['ce-region'], 'eu');
    assert.equal(got?.headers['content-type'], 'application/json');
    assert.equal(got?.body, '{"total": 3}');
  } finally {
    await sink.close();
  }
});

test('send --broker reads the broker address through the API and can send structured mode', async () => {
  const sink = await receiver();
  try {
    await cli(['apply', '-f', '-'], { stdin: brokerYaml('sendable') });
    const noAddress = await cli(['send', '--broker', 'default/sendable', '--type', 't', '--source', '/s']);
    assert.equal(noAddress.code, 1);
    assert.match(noAddress.stderr, /broker default\/sendable has no address yet/);
    await setStatus('Broker', 'sendable', { address: { url: sink.url } });
    const datafile = await file('data.txt', 'plain words');
    const result = await cli([
      'send',
      '--broker',
      'default/sendable',
      '--type',
      't',
      '--source',
      '/s',
      '--mode',
      'structured',
      '--data',
      `@${datafile}`,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const [got] = sink.received;
    assert.match(got?.headers['content-type'] ?? '', /^application\/cloudevents\+json/);
    const event = JSON.parse(got?.body ?? '') as Record<string, unknown>;
    assert.equal(event.type, 't');
    assert.equal(event.datacontenttype, 'application/octet-stream');
    assert.equal(event.data_base64, Buffer.from('plain words').toString('base64'));
  } finally {
    await sink.close();
  }
});

test('send prints the status and the response body when the endpoint refuses the event', async () => {
  const sink = await receiver(400, '{"error":"type is not allowed"}');
  try {
    const result = await cli(['send', '--url', sink.url, '--type', 't', '--source', '/s']);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `error: ${sink.url} answered HTTP 400: {"error":"type is not allowed"}\n`);
    const invalid = await cli([
      'send',
      '--url',
      sink.url,
      '--type',
      't',
      '--source',
      '/s',
      '--ext',
      'bad_name=x',
    ]);
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /bad_name/);
  } finally {
    await sink.close();
  }
});

test('tail -o json prints each event entering the broker as one JSON line', async () => {
  const result = await cli(['tail', 'default/tabled', '-o', 'json']);
  assert.equal(result.code, 0, result.stderr);
  const events = result.stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { id: string; subject: string });
  assert.deepEqual(
    events.map((e) => `${e.id}:${e.subject}`),
    ['t1:tabled', 't2:tabled', 't3:tabled'],
  );
  const missing = await cli(['tail', 'default/absent']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /"absent" not found/);
});

test('events shows the delivery history of one event', async () => {
  const result = await cli(['events', 'default/tabled', '--id', 'o-7', '--source', '/orders']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^Event o-7\n {2}Source: {4}\/orders\n {2}Type: {6}order\.created\n/);
  assert.match(
    result.stdout,
    /Trigger shipping: dead-lettered\n {4}#1 2024-05-01T12:00:00Z subscriber http:\/\/ship\/ -> HTTP 503 in 4ms\n {4}#2 .* dead-letter http:\/\/dls\/ -> HTTP 202 in 3ms/,
  );
  const none = await cli(['events', 'default/tabled', '--id', 'missing']);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /no delivery history for event id "missing"/);
});

test('replay trigger NAME --since asks the runtime to re-deliver', async () => {
  await cli(['apply', '-f', '-'], { stdin: triggerYaml('replayed', 'tabled') });
  const result = await cli([
    'replay',
    'trigger',
    'replayed',
    '-n',
    'default',
    '--since',
    '2024-05-01T10:00:00Z',
  ]);
  assert.equal(
    result.stdout,
    'replayed 7 event(s) to trigger default/replayed since 2024-05-01T10:00:00.000Z\n',
  );
  assert.equal(replays.at(-1), 'default/replayed@2024-05-01T10:00:00.000Z');
  const relative = await cli(['replay', 'trigger', 'replayed', '--since', '10m']);
  assert.equal(relative.code, 0, relative.stderr);
  const bad = await cli(['replay', 'trigger', 'replayed', '--since', 'last week']);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /neither an RFC 3339 time/);
});

test('token application NAME prints a new token', async () => {
  await cli(['apply', '-f', '-'], {
    stdin:
      'apiVersion: applicationconnector.kyma-project.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\n',
  });
  assert.deepEqual(await cli(['token', 'application', 'shop']), {
    code: 0,
    stdout: 'app-token-shop\n',
    stderr: '',
  });
  const missing = await cli(['token', 'application', 'ghost']);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /"ghost" not found/);
});

test('serve passes its flags, and CEMESH_* variables for flags not given, to the serve hook', async () => {
  let received: Record<string, unknown> | undefined;
  const result = await runCli(['serve', '--port', '0', '--data-dir', '/tmp/x', '--backend', 'memory'], {
    env: { CEMESH_ADMIN_PORT: '9091', CEMESH_PORT: '1', CEMESH_NATS: 'nats://n:4222' },
    serve: async (options) => {
      received = options;
    },
  });
  assert.equal(result.code, 0);
  assert.deepEqual(received, {
    port: '0',
    adminPort: '9091',
    dataDir: '/tmp/x',
    backend: 'memory',
    nats: 'nats://n:4222',
  });
});

test('commander errors exit non-zero; completion prints a script', async () => {
  const unknown = await cli(['frobnicate']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const completion = await cli(['completion', 'bash']);
  assert.match(completion.stdout, /complete -F _cemesh cemesh/);
  assert.match(completion.stdout, /brokers/);
});
