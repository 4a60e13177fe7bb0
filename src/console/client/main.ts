/**
 * Browser code of the console, part 6: state, sign-in and start. The token is asked once and kept in
 * sessionStorage (this tab only); a 401 anywhere forgets it and asks again. Watches pause while the tab is
 * hidden, so background tabs hold none of the browser's few connections per origin.
 */
export const MAIN_SCRIPT = String.raw`
var state = {
  token: savedToken(),
  namespace: '',
  flow: null,
  watches: null,
  renderQueued: false,
  dirty: { resources: true, flow: true },
  collections: {
    namespaces: { path: '/api/v1/namespaces', items: new Map(), live: false, error: '' },
    brokers: { path: '/apis/eventing.knative.dev/v1/brokers', items: new Map(), live: false, error: '' },
    triggers: { path: '/apis/eventing.knative.dev/v1/triggers', items: new Map(), live: false, error: '' },
    applications: { path: '/apis/applicationconnector.kyma-project.io/v1alpha1/applications', items: new Map(), live: false, error: '' },
  },
};

/** Draws on the next frame, at most once a frame; part 'resources' or 'flow' redraws only that. */
function scheduleRender(part) {
  if (part !== 'flow') state.dirty.resources = true;
  if (part !== 'resources') state.dirty.flow = true;
  if (state.renderQueued) return;
  state.renderQueued = true;
  requestAnimationFrame(function () {
    state.renderQueued = false;
    render();
  });
}

function render() {
  if (state.token === '') return;
  var dirty = state.dirty;
  state.dirty = { resources: false, flow: false };
  if (dirty.resources) {
    renderStatus();
    renderNamespaces();
    renderBrokers();
    renderTriggers();
    renderApplications();
  }
  if (dirty.flow) renderFlow();
}

function startWatches() {
  if (state.watches) return;
  state.watches = new AbortController();
  var signal = state.watches.signal;
  Object.keys(state.collections).forEach(function (name) {
    follow(state.collections[name], signal, function () { scheduleRender('resources'); });
  });
}

function stopWatches() {
  if (state.watches) state.watches.abort();
  state.watches = null;
  Object.keys(state.collections).forEach(function (name) { state.collections[name].live = false; });
}

function showApp() {
  byId('login').hidden = true;
  byId('app').hidden = false;
  byId('signout').hidden = false;
  byId('status').hidden = false;
  startWatches();
  openFromHash();
  scheduleRender();
}

function showLogin(message) {
  byId('app').hidden = true;
  byId('signout').hidden = true;
  byId('status').hidden = true;
  byId('login').hidden = false;
  byId('login-error').textContent = message || '';
  byId('token').value = '';
  byId('token').focus();
}

function signOut(message) {
  stopWatches();
  if (state.flow) state.flow.controller.abort();
  state.flow = null;
  state.token = '';
  saveToken('');
  showLogin(message);
}

function onUnauthorized(message) {
  if (state.token !== '') signOut('The server refused the token (' + message + '). Paste the current one.');
}

async function signIn(event) {
  event.preventDefault();
  var token = byId('token').value.trim();
  if (token === '') return;
  state.token = token;
  byId('login-error').textContent = 'Checking\u2026';
  try {
    await getJson('/api/v1/namespaces');
    saveToken(token);
    showApp();
  } catch (error) {
    if (error.status !== 401) {
      state.token = '';
      byId('login-error').textContent = 'The server could not be asked: ' + error.message;
    }
  }
}

/** #broker/NS/NAME or #trigger/NS/NAME opens that view, so a view can be bookmarked or shared. */
function openFromHash() {
  var match = /^#(broker|trigger)\/([^/]+)\/([^/]+)$/.exec(location.hash);
  if (!match) return;
  var namespace = decodeURIComponent(match[2]), name = decodeURIComponent(match[3]);
  var flow = state.flow;
  if (flow && flow.kind === match[1] && flow.namespace === namespace && flow.name === name) return;
  if (match[1] === 'broker') openBroker(namespace, name);
  else openTrigger(namespace, name);
}

function boot() {
  byId('login-form').addEventListener('submit', signIn);
  byId('signout').addEventListener('click', function () { signOut(''); });
  window.addEventListener('hashchange', function () { if (state.token !== '') openFromHash(); });
  document.addEventListener('visibilitychange', function () {
    if (state.token === '') return;
    if (document.hidden) stopWatches();
    else startWatches();
    scheduleRender();
  });
  // Ages in the tables move on even when nothing changes.
  setInterval(function () { if (state.token !== '' && !document.hidden) scheduleRender('resources'); }, 5000);
  if (state.token !== '') showApp();
  else showLogin('');
}

boot();
`;
