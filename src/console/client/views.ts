/**
 * Browser code of the console, part 4: the resource views (namespaces, brokers, triggers, applications),
 * drawn from the collections the watches keep current, filtered by the selected namespace.
 */
export const VIEWS_SCRIPT = String.raw`
var PERSISTENCE_ANNOTATION = 'eventing.cemesh.dev/persistence';

function itemsOf(name) {
  var items = Array.from(state.collections[name].items.values());
  if (state.namespace !== '' && name !== 'namespaces' && name !== 'applications') {
    items = items.filter(function (o) { return o.metadata.namespace === state.namespace; });
  }
  return items.sort(function (a, b) { return keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0; });
}

function countIn(name, namespace) {
  var n = 0;
  state.collections[name].items.forEach(function (o) { if (o.metadata.namespace === namespace) n++; });
  return n;
}

function plural(n, word) {
  return n + ' ' + word + (n === 1 ? '' : 's');
}

function selectNamespace(namespace) {
  state.namespace = namespace;
  scheduleRender();
}

function renderNamespaces() {
  var all = h('li', { class: state.namespace === '' ? 'selected' : null }, button('All namespaces', function () { selectNamespace(''); }, 'link'));
  var items = itemsOf('namespaces').map(function (ns) {
    var name = ns.metadata.name;
    var persistence = (ns.metadata.annotations || {})[PERSISTENCE_ANNOTATION] || 'server default';
    return h('li', { class: state.namespace === name ? 'selected' : null, 'data-key': name }, [
      button(name, function () { selectNamespace(name); }, 'link'),
      ' ', readyBadge(ns),
      h('div', { class: 'muted small' }, [
        plural(countIn('brokers', name), 'broker') + ' \u00b7 ' + plural(countIn('triggers', name), 'trigger'),
        h('br'), 'persistence: ' + persistence,
      ]),
    ]);
  });
  byId('namespaces').replaceChildren(h('ul', { class: 'namespaces' }, [all].concat(items)));
}

function namespaceCell(object) {
  return state.namespace === '' ? cell(object.metadata.namespace, 30) : null;
}

function reasonCell(object) {
  var ready = readyOf(object);
  var text = ready.status === 'True' ? '' : ready.reason;
  return h('td', { title: ready.message || text || null }, truncate(text, 26));
}

/** The backend's name, and on hover which setting chose it. */
function persistenceCell(broker) {
  var text = persistenceOf(broker);
  return h('td', { title: text || null }, text.split(' (')[0]);
}

function ageCell(object) {
  return h('td', { class: 'age' }, ageOf(object.metadata.creationTimestamp, Date.now()));
}

function isSelected(kind, object) {
  var flow = state.flow;
  return flow !== null && flow.kind === kind && flow.namespace === object.metadata.namespace && flow.name === object.metadata.name;
}

function renderBrokers() {
  var brokers = itemsOf('brokers');
  var headers = (state.namespace === '' ? ['Namespace'] : []).concat(['Name', 'Ready', 'Reason', 'Address', 'Persistence', 'Age', '']);
  var rows = brokers.map(function (b) {
    var ns = b.metadata.namespace, name = b.metadata.name;
    return h('tr', { 'data-key': keyOf(b), 'data-ready': readyOf(b).status, class: isSelected('broker', b) ? 'selected' : null }, [
      namespaceCell(b), h('td', { class: 'name' }, name), h('td', null, readyBadge(b)), reasonCell(b),
      cell(addressOf(b), 48, 'mono'), persistenceCell(b), ageCell(b),
      h('td', null, button('Live events', function () { openBroker(ns, name); })),
    ]);
  });
  byId('broker-count').textContent = String(brokers.length);
  byId('brokers').replaceChildren(table(headers, rows, 'No brokers' + scopeText() + '. Apply one with cemesh apply -f broker.yaml.'));
}

function renderTriggers() {
  var triggers = itemsOf('triggers');
  var headers = (state.namespace === '' ? ['Namespace'] : []).concat(['Name', 'Broker', 'Filter', 'Subscriber', 'Ready', 'Reason', 'Age', '']);
  var rows = triggers.map(function (t) {
    var ns = t.metadata.namespace, name = t.metadata.name;
    return h('tr', { 'data-key': keyOf(t), 'data-ready': readyOf(t).status, class: isSelected('trigger', t) ? 'selected' : null }, [
      namespaceCell(t), h('td', { class: 'name' }, name), cell(brokerOf(t), 30),
      cell(filterSummary(t.spec), 120, 'mono wrap'), cell(subscriberOf(t), 40, 'mono'),
      h('td', null, readyBadge(t)), reasonCell(t), ageCell(t),
      h('td', null, button('Deliveries', function () { openTrigger(ns, name); })),
    ]);
  });
  byId('trigger-count').textContent = String(triggers.length);
  byId('triggers').replaceChildren(table(headers, rows, 'No triggers' + scopeText() + '.'));
}

function renderApplications() {
  var applications = itemsOf('applications');
  var rows = applications.map(function (a) {
    var status = a.status || {};
    return h('tr', { 'data-key': keyOf(a), 'data-ready': readyOf(a).status }, [
      h('td', { class: 'name' }, a.metadata.name), h('td', null, readyBadge(a)), reasonCell(a),
      cell((a.spec && a.spec.description) || '', 60), cell(status.eventsUrl || '', 60, 'mono'), ageCell(a),
    ]);
  });
  byId('application-count').textContent = String(applications.length);
  byId('applications').replaceChildren(table(['Name', 'Ready', 'Reason', 'Description', 'Events URL', 'Age'], rows, 'No applications.'));
}

function scopeText() {
  return state.namespace === '' ? '' : ' in namespace ' + state.namespace;
}

/** The header's connection summary: live when every watch is streaming. */
function renderStatus() {
  var names = Object.keys(state.collections);
  var failing = names.filter(function (n) { return state.collections[n].error; });
  var live = names.every(function (n) { return state.collections[n].live; });
  var status = byId('status');
  status.className = 'status ' + (live ? 'live' : failing.length > 0 ? 'failing' : 'connecting');
  status.textContent = live ? 'live' : failing.length > 0 ? 'reconnecting: ' + state.collections[failing[0]].error : 'connecting\u2026';
}
`;
