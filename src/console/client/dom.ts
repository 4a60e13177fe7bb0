/**
 * Browser code of the console, part 2: building DOM nodes. Text always goes in through text nodes and
 * attributes through setAttribute, never through innerHTML, so event data and resource fields can never
 * become markup or script. No inline style or handler attributes either: the page's CSP allows neither.
 */
export const DOM_SCRIPT = String.raw`
/** h('td', { class: 'x', onclick: fn }, ['text', node, null]) */
function h(tag, props, children) {
  var el = document.createElement(tag);
  if (props) {
    Object.keys(props).forEach(function (name) {
      var value = props[name];
      if (value === undefined || value === null || value === false) return;
      if (name.slice(0, 2) === 'on' && typeof value === 'function') el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    });
  }
  append(el, children);
  return el;
}

function append(el, children) {
  if (children === undefined || children === null) return;
  if (!Array.isArray(children)) children = [children];
  children.forEach(function (child) {
    if (child === undefined || child === null || child === false) return;
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  });
}

function byId(id) {
  return document.getElementById(id);
}

function readyBadge(object) {
  var ready = readyOf(object);
  var label = ready.status === 'True' ? 'Ready' : ready.status === 'False' ? 'Not ready' : 'Unknown';
  return h('span', { class: 'badge ready-' + ready.status.toLowerCase(), title: ready.message || null }, label);
}

function outcomeBadge(outcome) {
  return h('span', { class: 'badge outcome-' + String(outcome).replace(/[^a-z-]/g, '') }, String(outcome));
}

/** A table with a header row; rows() returns tr elements. An empty table says what is missing. */
function table(headers, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'scroll' }, h('table', null, [
    h('thead', null, h('tr', null, headers.map(function (title) { return h('th', null, title); }))),
    h('tbody', null, rows),
  ]));
}

/** A cell that shows at most max characters and the whole text on hover. */
function cell(text, max, cls) {
  text = text === undefined || text === null ? '' : String(text);
  return h('td', { class: cls || null, title: text.length > max ? text : null }, truncate(text, max));
}

function button(label, onclick, cls) {
  return h('button', { type: 'button', class: cls || null, onclick: onclick }, label);
}
`;
