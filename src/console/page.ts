/**
 * The console page (ARCHITECTURE 2.4, `/console`): one self-contained HTML document with its script and
 * stylesheet inline, so it needs one exact-path route and no network beyond this server's API. It holds no
 * data: everything shown is fetched by the browser with the admin token.
 */
import { API_SCRIPT } from './client/api.js';
import { DOM_SCRIPT } from './client/dom.js';
import { FLOW_SCRIPT } from './client/flow.js';
import { FORMAT_SCRIPT } from './client/format.js';
import { MAIN_SCRIPT } from './client/main.js';
import { VIEWS_SCRIPT } from './client/views.js';
import { CONSOLE_STYLE } from './style.js';

/** The page's whole script: the client parts in one strict-mode function scope. */
export const CONSOLE_SCRIPT = [
  '\n(function () {\n"use strict";',
  FORMAT_SCRIPT,
  DOM_SCRIPT,
  API_SCRIPT,
  VIEWS_SCRIPT,
  FLOW_SCRIPT,
  MAIN_SCRIPT,
  '})();\n',
].join('\n');

export { CONSOLE_STYLE };

const BODY = `
<header>
  <h1>cemesh <small>console</small></h1>
  <span id="status" class="status connecting" hidden>connecting&hellip;</span>
  <span class="spacer"></span>
  <button id="signout" type="button" hidden>Sign out</button>
</header>
<section id="login" hidden>
  <h2>Sign in</h2>
  <form id="login-form" autocomplete="off">
    <label for="token">Admin token</label>
    <input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
    <p id="login-error" role="alert"></p>
    <button class="primary" type="submit">Sign in</button>
  </form>
  <p class="muted">
    <code>cemesh serve</code> writes the admin token to <code>&lt;data-dir&gt;/admin.token</code> when it first
    starts (<code>./.cemesh/admin.token</code> unless <code>--data-dir</code> says otherwise); on the server's
    machine, <code>cat .cemesh/admin.token</code> prints it. The console keeps it in this tab's session storage
    only and sends it to this server's API as a bearer token.
  </p>
</section>
<div id="app" class="layout" hidden>
  <aside>
    <section><h2>Namespaces</h2><div id="namespaces"></div></section>
  </aside>
  <main>
    <section><h2>Brokers <span id="broker-count" class="count"></span></h2><div id="brokers"></div></section>
    <section><h2>Triggers <span id="trigger-count" class="count"></span></h2><div id="triggers"></div></section>
    <section id="flow-section"><h2>What flows</h2><div id="flow"></div></section>
    <section><h2>Applications <span id="application-count" class="count"></span></h2><div id="applications"></div></section>
  </main>
</div>
`;

export function renderConsolePage(): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<title>cemesh console</title>',
    // An empty icon: otherwise the browser asks for /favicon.ico, which the API answers 401.
    '<link rel="icon" href="data:,">',
    `<style>${CONSOLE_STYLE}</style>`,
    '</head>',
    `<body>${BODY}<script>${CONSOLE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
