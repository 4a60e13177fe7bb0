// The web console in a real browser (Debian's chromium through playwright-core) against a real server, on
// the bundle built from src/console/client: the seed flow an operator goes through (bind an application,
// create a trigger, send an event and see it delivered on the graph, make the subscriber fail, find the
// failed event and redeliver it), validation errors at their field, pausing a trigger, event data shown as
// text, and every control on screen at 1280x800 and 390x844. Screenshots of each view go to a temporary
// directory, or to CEMESH_CONSOLE_SCREENSHOTS (docs/console is what docs/console.md shows).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { request } from 'undici';
import { buildConsole } from '../../scripts/build-console.mjs';
import { startTestServer, type TestServer } from '../support/server.js';
import { startSubscriber, type Subscriber } from '../support/subscriber.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const GROUP = '/apis/applicationconnector.kyma-project.io/v1alpha1';

let server: TestServer;
let subscriber: Subscriber;
let failing = false;
let browser: Browser | undefined;
let page: Page;
let shots: string;
let appToken: string;
const pageErrors: string[] = [];

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `the console e2e test needs Debian's chromium at ${CHROMIUM}: install it with ` +
        '"apt-get update && apt-get install -y chromium" (.ci/run does this on CI)',
    );
  }
  await buildConsole();
  shots = process.env['CEMESH_CONSOLE_SCREENSHOTS']
    ? resolve(process.env['CEMESH_CONSOLE_SCREENSHOTS'])
    : await mkdtemp(join(tmpdir(), 'cemesh-console-'));
  await mkdir(shots, { recursive: true });
  server = await startTestServer();
  subscriber = await startSubscriber(() => ({ status: failing ? 503 : 200 }));
  const app = await server.api('POST', `${GROUP}/applications`, {
    apiVersion: 'applicationconnector.kyma-project.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'shop' },
    spec: { description: 'the shop' },
  });
  assert.equal(app.status, 201, JSON.stringify(app.body));
  appToken = (await server.api('POST', `${GROUP}/applications/shop/token`)).body.token;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000); // generous for a loaded CI machine; passing steps take well under 1 s
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    // The browser logs every non-2xx answer; 404 (probing before a create, a broker not wired yet) and 422
    // (the invalid YAML on purpose) are expected. Script errors and CSP refusals are not.
    const expected = /^Failed to load resource: the server responded with a status of (404|422)\b/;
    if (message.type() === 'error' && !expected.test(message.text())) pageErrors.push(message.text());
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  await subscriber?.close();
  if (!process.env['CEMESH_CONSOLE_SCREENSHOTS'] && shots) await rm(shots, { recursive: true, force: true });
});

async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function open(view: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('link', { name: view, exact: true })
    .click();
}

/** Sends a CloudEvent as the application, through the gateway with its token. */
async function sendAsApplication(id: string, data: string): Promise<void> {
  const res = await request(`${server.gatewayUrl}/shop/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${appToken}`,
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': 'shop',
      'ce-type': 'order.created',
      'content-type': 'application/json',
    },
    body: data,
  });
  assert.equal(res.statusCode, 202, await res.body.text());
}

test('the page and its bundle are public and same-origin; the API behind them needs the token', async () => {
  for (const path of ['/console', '/console/console.js', '/console/console.css']) {
    const res = await request(`${server.adminUrl}${path}`);
    assert.equal(res.statusCode, 200, path);
    assert.ok(!(await res.body.text()).includes(server.token), 'nothing served holds the token');
  }
  const list = await request(`${server.adminUrl}/api/v1/namespaces`);
  assert.equal(list.statusCode, 401);
  await list.body.dump();
});

test('a wrong token is refused; the right one signs in and the overview says what to do first', async () => {
  await page.goto(`${server.adminUrl}/console`);
  await page.getByLabel('Admin token').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The server refused the token').waitFor();
  pageErrors.length = 0; // the browser logs the refused request; only what follows must be clean
  await page.getByLabel('Admin token').fill(server.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('No brokers in default').waitFor();
  await page.locator('#status.live').waitFor();
  assert.match(await page.locator('.view-head').innerText(), /persistence: no brokers yet/);
  await shoot('overview-empty');
});

test('bind an application to the namespace from the Applications view', async () => {
  await open('Applications');
  const row = page.locator('#applications tr[data-key="shop"]');
  await row.getByRole('button', { name: 'Bind to default' }).click();
  await page.locator('#applications tr[data-key="shop"][data-bound="true"]').waitFor();
  assert.match(await row.innerText(), /default/);
  await shoot('applications');
});

test('a YAML error is shown at its field; the corrected trigger is created', async () => {
  await open('Triggers');
  await page.getByText('No triggers in default').waitFor();
  await page.getByRole('button', { name: 'New trigger' }).click();
  // The template is the Trigger kind's sample, served by discovery.
  const template = await page.getByLabel('YAML manifests').inputValue();
  assert.match(template, /kind: Trigger\n[\s\S]*name: my-trigger\n\s+namespace: default/);
  const broken = [
    'apiVersion: eventing.knative.dev/v1',
    'kind: Trigger',
    'metadata:',
    '  name: orders',
    'spec:',
    '  broker: default',
    '  filters:',
    '    - cesql: "type = \'order.created\' AND"',
    '  subscriber:',
    `    uri: ${subscriber.url}`,
    '  delivery:',
    '    retry: 0',
  ].join('\n');
  await page.getByLabel('YAML manifests').fill(broken);
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  const error = page.locator('.field-error[data-field="spec.filters[0].cesql"]');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-line'), '8', 'the message sits under the cesql line');
  await shoot('apply-validation');
  await page.getByLabel('YAML manifests').fill(broken.replace(' AND"', '"'));
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.locator('#applied', { hasText: 'Trigger/orders created' }).waitFor();
  await open('Triggers');
  await page.locator('#triggers tr[data-key="orders"] [data-ready="True"]').waitFor();
});

test('an event the application sends is delivered, and the graph shows it on its edges', async () => {
  await sendAsApplication('order-1', '{"item":"book"}');
  await subscriber.waitFor(1);
  await open('Overview');
  await page.locator('.card[data-broker="default"][data-ready="True"]').waitFor();
  await page
    .locator('#graph .edge[data-from="app:shop"][data-to="broker:default"][data-count="1"]')
    .waitFor();
  await page.locator(`#graph .edge[data-from="trigger:orders"][data-count="1"]`).waitFor();
  assert.match(await page.locator('.view-head').innerText(), /brokers use memory/);
  await shoot('overview');
});

test('a failing subscriber: the failed event is listed with its reason and delivered again on redeliver', async () => {
  failing = true;
  await sendAsApplication('order-2', '{"item":"<script>globalThis.injected = 1</script><b>x</b>"}');
  await open('Failed events');
  const row = page.locator('#events tr[data-id="order-2"]');
  await row.locator('[data-trigger="orders"][data-outcome="undeliverable"]').waitFor();
  assert.match(await row.innerText(), /HTTP 503/);
  await shoot('failed-events');
  failing = false;
  const received = subscriber.received.length;
  await row.getByRole('button', { name: 'Redeliver order-2 to orders' }).click();
  await page.locator('#message', { hasText: 'order-2' }).waitFor();
  assert.match(await page.locator('#message').innerText(), /is being delivered to orders again/);
  await subscriber.waitFor(received + 1);
  await page.locator('#events tr[data-id="order-2"]').waitFor({ state: 'detached' });
  await page.getByText('No failed events').waitFor();
});

test("one event's timeline lists every attempt, the failure and the redelivery", async () => {
  await page.goto(`${server.adminUrl}/console#/default/event/default/shop/order-2`);
  const timeline = page.locator('.timeline[data-trigger="orders"][data-outcome="delivered"]');
  await timeline.waitFor();
  assert.match(await timeline.innerText(), /HTTP 503[\s\S]*Redelivered: [\s\S]*HTTP 200/);
  assert.equal(await page.evaluate(() => (globalThis as any).injected), undefined, 'event data never runs');
  await shoot('event-timeline');
});

test('pause and resume a trigger from its row: Ready says Paused, and the health is shown', async () => {
  await open('Triggers');
  const row = page.locator('#triggers tr[data-key="orders"]');
  await row.getByRole('button', { name: 'Pause orders' }).click();
  await row.locator('[data-ready="False"]', { hasText: 'Paused' }).waitFor();
  await shoot('triggers');
  await row.getByRole('button', { name: 'Resume orders' }).click();
  await row.locator('[data-ready="True"]').waitFor();
  assert.match(await row.locator('td.health').innerText(), /delivered/);
});

test('delete asks for confirmation; functions and resources list what the server serves', async () => {
  await open('Functions');
  // The server serves the Function kind (hosted functions): its list, empty here, says what to do.
  await page.getByText('No functions in default').waitFor();
  // A hosted function: listed with Kyma's state columns, its output a click away.
  await server.apply({
    apiVersion: 'serverless.kyma-project.io/v1alpha2',
    kind: 'Function',
    metadata: { name: 'hello', namespace: 'default' },
    spec: {
      runtime: 'nodejs20',
      source: { inline: { source: "console.log('hello is up'); module.exports = { main() {} };" } },
    },
  });
  const fnRow = page.locator('tr[data-key="hello"]');
  await fnRow.getByText('nodejs20').waitFor({ timeout: 30_000 });
  // Configured, Built and Running all True.
  await page
    .locator('tr[data-key="hello"]', { hasText: /True\s*True\s*True\s*nodejs20/ })
    .waitFor({ timeout: 30_000 });
  await fnRow.getByRole('button', { name: 'Logs' }).click();
  await page.locator('pre.logs', { hasText: 'stdout: hello is up' }).waitFor({ timeout: 30_000 });
  await shoot('functions');
  await open('Resources');
  await page.locator('#objects[data-kind="Broker"] tr[data-key="default"]').waitFor();
  const kinds = await page.getByLabel('Kind').locator('option').allInnerTexts();
  assert.ok(
    kinds.some((k) => k.startsWith('ApplicationMapping')),
    'kinds come from discovery',
  );
  await shoot('resources');
  await page.getByRole('button', { name: 'Delete default' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete Broker default?' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(
    (await server.api('GET', '/apis/eventing.knative.dev/v1/namespaces/default/brokers/default')).status,
    200,
  );
});

test('keyboard: the first Tab offers Skip to content, and graph nodes open with Enter', async () => {
  await open('Overview');
  await page.reload(); // the token stays in the tab's session storage; focus starts at the top again
  await page.locator('#graph [data-node="trigger:orders"] a').waitFor();
  await page.keyboard.press('Tab');
  assert.equal(
    await page.evaluate(() => (globalThis as any).document.activeElement?.textContent),
    'Skip to content',
  );
  await page.locator('#graph [data-node="trigger:orders"] a').focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Deliveries of trigger orders' }).waitFor();
  await page.locator('#events tr[data-id="order-1"] [data-outcome="delivered"]').waitFor();
});

/** Every visible control that lies (partly) outside the viewport. */
async function offScreen(): Promise<string[]> {
  // Runs in the page; this file is typed without the DOM library, hence `any`.
  return page.evaluate(() => {
    const browser = globalThis as any;
    const width: number = browser.document.documentElement.clientWidth;
    const height: number = browser.innerHeight;
    const controls = browser.document.querySelectorAll('button, a[href], select, input, textarea');
    const out: string[] = [];
    for (const control of controls) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || control.closest('.skip')) continue;
      const inHeader = control.closest('header.top, nav.views') !== null;
      if (box.left < 0 || box.right > width + 0.5 || (inHeader && (box.top < 0 || box.bottom > height))) {
        const text = String(control.textContent ?? '')
          .trim()
          .slice(0, 30);
        out.push(`${control.tagName} "${text}" at ${Math.round(box.left)}-${Math.round(box.right)}`);
      }
    }
    return out;
  });
}

test('at 1280x800 and 390x844 every control of every view is inside the viewport', async () => {
  const views = [
    'Overview',
    'Applications',
    'Triggers',
    'Failed events',
    'Functions',
    'Resources',
    'Apply YAML',
  ];
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const view of views) {
      await open(view);
      await page.waitForTimeout(50);
      assert.deepEqual(await offScreen(), [], `${view} at ${width}x${height}`);
      if (view === 'Overview' && width === 390) {
        await page.locator('#graph [data-node="trigger:orders"]').waitFor();
        await shoot('phone-overview');
      }
    }
  }
  await open('Triggers');
  await page.locator('#triggers tr[data-key="orders"]').waitFor();
  await shoot('phone-triggers');
  assert.deepEqual(pageErrors, [], 'no script errors and no CSP violations');
});
