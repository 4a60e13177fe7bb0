/**
 * Browser code of the console, part 5: "what flows". A broker's live events come from its `tail` route
 * (NDJSON, one structured-mode event a line); a trigger's recent deliveries from its `deliveries` route,
 * asked again every 2 s while shown (the API has no stream for the delivery history).
 */
export const FLOW_SCRIPT = String.raw`
var MAX_EVENTS = 200;
var DELIVERIES_LIMIT = 50;
var DELIVERIES_EVERY_MS = 2000;

function objectPath(kind, namespace, name) {
  return '/apis/eventing.knative.dev/v1/namespaces/' + encodeURIComponent(namespace) + '/' + kind + 's/' + encodeURIComponent(name);
}

function closeFlow() {
  if (state.flow) state.flow.controller.abort();
  state.flow = null;
  if (location.hash !== '') history.replaceState(null, '', location.pathname);
  scheduleRender();
}

function openFlow(kind, namespace, name) {
  if (state.flow) state.flow.controller.abort();
  state.flow = { kind: kind, namespace: namespace, name: name, controller: new AbortController(), status: 'connecting', error: '' };
  var hash = '#' + kind + '/' + encodeURIComponent(namespace) + '/' + encodeURIComponent(name);
  if (location.hash !== hash) history.replaceState(null, '', hash);
  scheduleRender();
  byId('flow-section').scrollIntoView({ block: 'start' });
  return state.flow;
}

function openBroker(namespace, name) {
  var flow = openFlow('broker', namespace, name);
  flow.events = [];
  flow.total = 0;
  flow.frozen = null;
  flow.expanded = new WeakSet();
  tailBroker(flow);
}

async function tailBroker(flow) {
  var signal = flow.controller.signal;
  var pause = 500;
  while (!signal.aborted) {
    try {
      await readLines(objectPath('broker', flow.namespace, flow.name) + '/tail', signal, function (line) {
        // An event line always has specversion; a failure after the stream started is an ERROR line.
        if (line.type === 'ERROR' && line.specversion === undefined) throw ApiError(0, (line.object && line.object.message) || 'tail failed');
        flow.total++;
        flow.events.unshift(line);
        if (flow.events.length > MAX_EVENTS) flow.events.pop();
        scheduleRender('flow');
      }, function () {
        flow.status = 'listening';
        flow.error = '';
        pause = 500;
        scheduleRender('flow');
      });
      flow.status = 'ended';
    } catch (error) {
      if (signal.aborted || error.status === 401) return;
      flow.status = error.status === 404 ? 'gone' : 'failing';
      flow.error = error.message;
      if (error.status === 404) { scheduleRender('flow'); return; }
    }
    scheduleRender('flow');
    await sleep(pause, signal);
    pause = Math.min(pause * 2, 10000);
  }
}

function openTrigger(namespace, name) {
  var flow = openFlow('trigger', namespace, name);
  flow.records = [];
  flow.expanded = new Set();
  pollDeliveries(flow);
}

async function pollDeliveries(flow) {
  var signal = flow.controller.signal;
  var path = objectPath('trigger', flow.namespace, flow.name) + '/deliveries?limit=' + DELIVERIES_LIMIT;
  while (!signal.aborted) {
    if (!document.hidden) {
      try {
        var list = await getJson(path, signal);
        var text = JSON.stringify(list.items || []);
        // Redraw only on a change, so a selection or an open row is not disturbed every 2 s.
        if (text !== flow.recordsText || flow.status !== 'listening') {
          flow.recordsText = text;
          flow.records = list.items || [];
          flow.status = 'listening';
          flow.error = '';
          scheduleRender('flow');
        }
      } catch (error) {
        if (signal.aborted || error.status === 401) return;
        flow.status = error.status === 404 ? 'gone' : 'failing';
        flow.error = error.message;
        scheduleRender('flow');
      }
    }
    await sleep(DELIVERIES_EVERY_MS, signal);
  }
}

/** A timestamp as this browser's time of day; the full value is in the cell's title. */
function timeOf(timestamp) {
  var at = Date.parse(timestamp);
  return isNaN(at) ? '' : new Date(at).toLocaleTimeString();
}

function flowStatusText(flow) {
  if (flow.status === 'connecting') return 'connecting\u2026';
  if (flow.status === 'gone') return flow.error;
  if (flow.status === 'failing') return 'reconnecting: ' + flow.error;
  if (flow.status === 'ended') return 'the stream ended; reconnecting\u2026';
  if (flow.kind === 'broker') return flow.frozen ? 'paused: ' + (flow.total - flow.frozen.total) + ' new events not shown' : 'listening: ' + plural(flow.total, 'event') + ' since opened';
  return 'the ' + DELIVERIES_LIMIT + ' most recent, refreshed every 2 s';
}

function renderFlow() {
  var flow = state.flow;
  var target = byId('flow');
  if (flow === null) {
    target.replaceChildren(h('p', { class: 'empty' }, 'Pick a broker (Live events) to watch the events entering it, or a trigger (Deliveries) to see what it delivered.'));
    return;
  }
  var title = (flow.kind === 'broker' ? 'Live events of broker ' : 'Deliveries of trigger ') + flow.namespace + '/' + flow.name;
  var tools = [h('span', { class: 'flow-status ' + flow.status }, flowStatusText(flow))];
  if (flow.kind === 'broker') {
    tools.push(button(flow.frozen ? 'Resume' : 'Pause', function () { togglePause(flow); }));
    tools.push(button('Clear', function () { flow.events = []; flow.frozen = null; scheduleRender('flow'); }));
  }
  tools.push(button('Close', closeFlow));
  var body = flow.kind === 'broker' ? brokerEvents(flow) : triggerDeliveries(flow);
  target.replaceChildren(h('div', { class: 'flow-head' }, [h('h3', null, title), h('div', { class: 'tools' }, tools)]), body);
}

function togglePause(flow) {
  flow.frozen = flow.frozen ? null : { events: flow.events.slice(), total: flow.total };
  scheduleRender('flow');
}

function brokerEvents(flow) {
  var events = flow.frozen ? flow.frozen.events : flow.events;
  var rows = [];
  events.forEach(function (event) {
    var open = flow.expanded.has(event);
    var toggle = function () { if (open) flow.expanded.delete(event); else flow.expanded.add(event); scheduleRender('flow'); };
    rows.push(h('tr', { class: 'event' + (open ? ' open' : ''), 'data-id': String(event.id), onclick: toggle }, [
      h('td', { class: 'age', title: event.knativearrivaltime || null }, timeOf(event.knativearrivaltime || event.time)),
      cell(event.id, 40, 'mono'), cell(event.type, 50), cell(event.source, 50), cell(event.subject || '', 30),
      cell(dataPreview(event, 80), 80, 'mono'),
    ]));
    if (open) rows.push(h('tr', { class: 'detail' }, h('td', { colspan: 6 }, h('pre', null, JSON.stringify(event, null, 2)))));
  });
  var hint = 'Waiting for events. Send one with: cemesh send --broker ' + flow.namespace + '/' + flow.name + ' --type example.hello --source /me --data \'{"hello":"world"}\'';
  return table(['Arrived at', 'ID', 'Type', 'Source', 'Subject', 'Data'], rows, hint);
}

function triggerDeliveries(flow) {
  var rows = [];
  flow.records.forEach(function (record) {
    var outcome = (record.triggers || {})[flow.name] || { outcome: '', attempts: [] };
    var attempts = outcome.attempts || [];
    var key = record.source + '\u0000' + record.id;
    var open = flow.expanded.has(key);
    var toggle = function () { if (open) flow.expanded.delete(key); else flow.expanded.add(key); scheduleRender('flow'); };
    rows.push(h('tr', { class: 'delivery' + (open ? ' open' : ''), 'data-id': String(record.id), 'data-outcome': String(outcome.outcome), onclick: toggle }, [
      h('td', { class: 'age', title: record.acceptedAt }, timeOf(record.acceptedAt)),
      cell(record.id, 40, 'mono'), cell(record.type, 40), cell(record.source, 40),
      h('td', null, outcomeBadge(outcome.outcome)), h('td', { class: 'num' }, String(attempts.length)), cell(lastResult(attempts), 50),
    ]));
    if (open) rows.push(h('tr', { class: 'detail' }, h('td', { colspan: 7 }, attemptList(attempts))));
  });
  return table(['Accepted at', 'Event ID', 'Type', 'Source', 'Outcome', 'Attempts', 'Last result'], rows,
    'No deliveries yet: events the trigger matches appear here, newest first.');
}

function attemptList(attempts) {
  if (attempts.length === 0) return h('p', { class: 'muted' }, 'No attempt yet.');
  return h('ol', { class: 'attempts' }, attempts.map(function (a) {
    var result = typeof a.status === 'number' ? 'HTTP ' + a.status : String(a.error || '');
    var took = typeof a.durationMs === 'number' ? ' in ' + Math.round(a.durationMs) + ' ms' : '';
    return h('li', null, '#' + a.attempt + ' ' + a.at + ' to ' + a.target + ' ' + a.uri + ': ' + result + took);
  }));
}
`;
