/**
 * Browser code of the console, part 1: pure formatting of API objects into short strings (ages, readiness,
 * filter summaries, event previews). No DOM and no I/O, so the unit tests run it in a bare `vm` context.
 *
 * Every client part is plain ES2020 in a string (the console has no build step): no backticks and no
 * template placeholders inside, and nothing that would close the inline script element.
 */
export const FORMAT_SCRIPT = String.raw`
function truncate(text, max) {
  text = String(text);
  return text.length > max ? text.slice(0, max - 1) + '\u2026' : text;
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function keyOf(object) {
  var meta = object.metadata || {};
  return (meta.namespace ? meta.namespace + '/' : '') + meta.name;
}

/** kubectl-style ages: 45s, 3m20s, 5h10m, 3d4h. */
function ageOf(timestamp, now) {
  var at = Date.parse(timestamp);
  if (isNaN(at)) return '';
  var s = Math.max(0, Math.floor((now - at) / 1000));
  var m = Math.floor(s / 60), h = Math.floor(m / 60), d = Math.floor(h / 24);
  if (s < 120) return s + 's';
  if (m < 10) return m + 'm' + (s % 60 ? (s % 60) + 's' : '');
  if (h < 3) return m + 'm';
  if (h < 48) return h + 'h' + (m % 60 && h < 8 ? (m % 60) + 'm' : '');
  return d + 'd' + (h % 24 && d < 8 ? (h % 24) + 'h' : '');
}

/** The Ready condition: { status: 'True' | 'False' | 'Unknown', reason, message }. */
function readyOf(object) {
  var conditions = object.status && object.status.conditions;
  if (Array.isArray(conditions)) {
    for (var i = 0; i < conditions.length; i++) {
      var c = conditions[i];
      if (c && c.type === 'Ready') {
        return { status: String(c.status || 'Unknown'), reason: c.reason || '', message: c.message || '' };
      }
    }
  }
  return { status: 'Unknown', reason: 'NotReconciled', message: 'no Ready condition yet' };
}

function attributeList(map, operator) {
  return Object.keys(map).map(function (k) { return k + operator + String(map[k]); }).join(', ');
}

function dialectSummary(filter) {
  if (!isObject(filter)) return '?';
  if (isObject(filter.exact)) return attributeList(filter.exact, ' = ');
  if (isObject(filter.prefix)) return attributeList(filter.prefix, ' starts with ');
  if (isObject(filter.suffix)) return attributeList(filter.suffix, ' ends with ');
  if (typeof filter.cesql === 'string') return 'CESQL ' + filter.cesql;
  if (Array.isArray(filter.all)) return 'all(' + filter.all.map(dialectSummary).join('; ') + ')';
  if (Array.isArray(filter.any)) return 'any(' + filter.any.map(dialectSummary).join(' | ') + ')';
  if (isObject(filter.not)) return 'not(' + dialectSummary(filter.not) + ')';
  return '?';
}

/** One line for a Trigger's filter (ARCHITECTURE 3: non-empty spec.filters overrides spec.filter). */
function filterSummary(spec) {
  spec = spec || {};
  if (Array.isArray(spec.filters) && spec.filters.length > 0) {
    return spec.filters.map(dialectSummary).join(' and ');
  }
  var attributes = spec.filter && spec.filter.attributes;
  if (isObject(attributes) && Object.keys(attributes).length > 0) {
    return Object.keys(attributes).map(function (k) {
      return attributes[k] === '' ? k + ' is set' : k + ' = ' + String(attributes[k]);
    }).join(', ');
  }
  return 'all events';
}

function subscriberOf(trigger) {
  if (trigger.status && typeof trigger.status.subscriberUri === 'string') return trigger.status.subscriberUri;
  var subscriber = (trigger.spec && trigger.spec.subscriber) || {};
  if (typeof subscriber.uri === 'string' && !subscriber.ref) return subscriber.uri;
  if (isObject(subscriber.ref)) return subscriber.ref.kind + '/' + subscriber.ref.name + (subscriber.uri || '');
  return '';
}

function brokerOf(trigger) {
  var broker = trigger.spec && trigger.spec.broker;
  return typeof broker === 'string' && broker !== '' ? broker : 'default';
}

/** The backend a Broker's events are stored in, and which setting chose it. */
function persistenceOf(broker) {
  var p = broker.status && broker.status.persistence;
  if (!isObject(p) || typeof p.kind !== 'string') return '';
  return p.kind + (p.source ? ' (' + p.source + ')' : '');
}

function addressOf(broker) {
  var address = broker.status && broker.status.address;
  return isObject(address) && typeof address.url === 'string' ? address.url : '';
}

/** A structured-mode event's data in one short line: JSON as JSON, bytes as their base64 size. */
function dataPreview(event, max) {
  if (event.data_base64 !== undefined) return '(' + Math.floor(String(event.data_base64).length * 3 / 4) + ' bytes, base64)';
  if (event.data === undefined) return '';
  var text = typeof event.data === 'string' ? event.data : JSON.stringify(event.data);
  return truncate(text, max || 120);
}

/** The last attempt of a delivery as "HTTP 503" or its network error. */
function lastResult(attempts) {
  var last = Array.isArray(attempts) && attempts.length > 0 ? attempts[attempts.length - 1] : undefined;
  if (!last) return '';
  if (typeof last.status === 'number') return 'HTTP ' + last.status + (last.target === 'dead-letter' ? ' (dead-letter sink)' : '');
  return String(last.error || '');
}
`;
