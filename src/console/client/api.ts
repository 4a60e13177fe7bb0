/**
 * Browser code of the console, part 3: talking to the same-origin REST API (ARCHITECTURE 2.4, docs/api.md).
 * The admin token lives in this tab's sessionStorage and goes out only as a bearer token. NDJSON streams
 * (watches, broker tail) are read with fetch and a stream reader, one JSON value a line.
 */
export const API_SCRIPT = String.raw`
var TOKEN_KEY = 'cemesh.console.token';

function savedToken() {
  try { return sessionStorage.getItem(TOKEN_KEY) || ''; } catch (e) { return ''; }
}

function saveToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch (e) { /* storage disabled: the token lasts until the page is left */ }
}

function ApiError(status, message) {
  var error = new Error(message);
  error.status = status;
  return error;
}

/** fetch with the bearer token; a non-2xx answer throws with the Status message the API sent. */
function authorizedFetch(path, options) {
  options = options || {};
  var headers = { authorization: 'Bearer ' + state.token, accept: options.accept || 'application/json' };
  return fetch(path, { method: options.method || 'GET', headers: headers, signal: options.signal, cache: 'no-store', credentials: 'omit' })
    .then(function (response) {
      if (response.ok) return response;
      return response.text().then(function (text) {
        var message = 'HTTP ' + response.status;
        try { message = JSON.parse(text).message || message; } catch (e) { /* not a Status */ }
        if (response.status === 401) onUnauthorized(message);
        throw ApiError(response.status, message);
      });
    });
}

function getJson(path, signal) {
  return authorizedFetch(path, { signal: signal }).then(function (response) { return response.json(); });
}

/**
 * Reads an NDJSON answer line by line until it ends or signal aborts. onOpen runs once the answer's headers
 * arrived (a tail is subscribed by then); onLine may throw to stop reading.
 */
async function readLines(path, signal, onLine, onOpen) {
  var response = await authorizedFetch(path, { signal: signal, accept: 'application/x-ndjson' });
  if (onOpen) onOpen();
  var reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  var buffer = '';
  try {
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) break;
      buffer += chunk.value;
      var lines = buffer.split('\n');
      buffer = lines.pop();
      for (var i = 0; i < lines.length; i++) {
        if (lines[i].trim() !== '') onLine(JSON.parse(lines[i]));
      }
    }
  } finally {
    reader.cancel().catch(function () { /* already closed */ });
  }
}

function sleep(ms, signal) {
  return new Promise(function (resolve) {
    var timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', function () { clearTimeout(timer); resolve(); }, { once: true });
  });
}

/**
 * Keeps collection.items equal to the server's objects of one kind: list, then watch from the list's
 * resourceVersion so nothing in between is missed. A stream the server ended resumes from the last version
 * seen; a failure (an ERROR line, a lost connection) lists again after a growing pause.
 */
async function follow(collection, signal, changed) {
  var version = '';
  var pause = 500;
  while (!signal.aborted) {
    try {
      if (version === '') {
        var list = await getJson(collection.path, signal);
        collection.items = new Map();
        list.items.forEach(function (o) { collection.items.set(keyOf(o), o); });
        version = String((list.metadata && list.metadata.resourceVersion) || '');
        collection.error = '';
        changed();
      }
      await readLines(collection.path + '?watch=true&resourceVersion=' + encodeURIComponent(version), signal, function (line) {
        if (line.type === 'ERROR') {
          throw ApiError(0, (line.object && line.object.message) || 'watch failed');
        }
        var object = line.object;
        if (line.type === 'DELETED') collection.items.delete(keyOf(object));
        else collection.items.set(keyOf(object), object);
        version = String(object.metadata.resourceVersion || version);
        changed();
      }, function () {
        collection.live = true;
        pause = 500;
        changed();
      });
    } catch (error) {
      if (signal.aborted || error.status === 401) return;
      collection.error = error.message;
      version = '';
    }
    collection.live = false;
    changed();
    await sleep(pause, signal);
    pause = Math.min(pause * 2, 10000);
  }
}
`;
