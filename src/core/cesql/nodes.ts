/**
 * Compiled nodes and the implicit casts between them (CESQL v1 section 3.7).
 *
 * A node is a closure over the event's attributes and the evaluation state, with a static type: every
 * operator and function has a known return type, only an attribute read is `Any` (its type is the type of
 * the value the event carries). Casts between static types are chosen at compile time; casts from `Any`
 * look at the value.
 *
 * Error propagation, the rule every node follows: when evaluating an operand sets `state.failed`, the node
 * stops, evaluates nothing more, and returns the zero value of its own return type (section 3.3: "SHOULD
 * return the zero value"). This is the reading under which every TCK case holds (`1 / missing` is `0` with
 * only a MissingAttributeError; `true AND (1 != 1 / 0)` is false), and the one the Go SDK implements.
 */
import type { Attributes } from '../cloudevents/model.js';
import { castToBoolean, castToInteger, castToString, EvaluationState, typeOfValue } from './types.js';
import type { CesqlType, CesqlValue, Site } from './types.js';

export type NodeType = CesqlType | 'Any';
export type Eval<T> = (attributes: Attributes, state: EvaluationState) => T;

export interface Node {
  readonly type: NodeType;
  readonly evaluate: Eval<CesqlValue>;
  readonly site: Site;
  /** Set when the node is a constant: its value, the same for every event and free of errors. */
  readonly constant?: { readonly value: CesqlValue };
  /** Set when the node reads an attribute that can be read with a plain property access. */
  readonly attribute?: string;
}

export function literal(constant: CesqlValue, site: Site): Node {
  const value = typeof constant === 'string' ? internalize(constant) : constant;
  return { type: typeOfValue(value), evaluate: () => value, site, constant: { value } };
}

/**
 * Replaces a node whose operands are all constants with its value, when evaluating it raises no error.
 * (A node that raises one stays, so that every evaluation reports the error.)
 */
export function fold(node: Node, operands: readonly Node[]): Node {
  if (!operands.every((operand) => operand.constant !== undefined)) return node;
  const state = new EvaluationState();
  const value = node.evaluate({}, state);
  return state.failed ? node : literal(value, node.site);
}

/**
 * Names that a plain object inherits (`constructor`): reading them must ask for an own property, or
 * `EXISTS constructor` would be true for every event.
 */
function inherited(name: string): boolean {
  return name in Object.prototype;
}

/**
 * The engine's canonical copy of a string. A property read with a key that is not canonical makes V8 look
 * the key up in its string table on every read (measured: about 100 ns of a 110 ns equality filter); a key
 * that went through an object literal is canonical, so reads become a plain hash lookup. Also applied to
 * string constants, so that comparing them with canonical attribute values can stop at pointer equality.
 */
export function internalize(text: string): string {
  return Object.keys({ [text]: 0 })[0] ?? text;
}

/**
 * Section 3.2: an attribute the event lacks is a MissingAttributeError, and the read yields `false` (the
 * zero value of Boolean, "the return type of the subexpression cannot be determined").
 */
export function attribute(rawName: string, site: Site): Node {
  const name = internalize(rawName);
  const text = missingAttributeText(name);
  if (inherited(name)) {
    return {
      type: 'Any',
      site,
      evaluate: (a, s) => {
        const v = Object.hasOwn(a, name) ? a[name] : undefined;
        if (v !== undefined) return v;
        s.fail('missingAttribute', text, site);
        return false;
      },
    };
  }
  return {
    type: 'Any',
    site,
    attribute: name,
    evaluate: (a, s) => {
      const v = a[name];
      if (v !== undefined) return v;
      s.fail('missingAttribute', text, site);
      return false;
    },
  };
}

/** `EXISTS name` (section 3.4.4): never an error. */
export function exists(rawName: string, site: Site): Node {
  const name = internalize(rawName);
  const evaluate: Eval<boolean> = inherited(name)
    ? (a) => Object.hasOwn(a, name)
    : (a) => a[name] !== undefined;
  return { type: 'Boolean', site, evaluate };
}

export function missingAttributeText(name: string): string {
  return `missing attribute '${name}'`;
}

/** The node's value as a String (section 3.7: Integer and Boolean casts to String never fail). */
export function asString(node: Node): Eval<string> {
  const f = node.evaluate;
  switch (node.type) {
    case 'String':
      return f as Eval<string>;
    case 'Integer':
    case 'Boolean':
      return (a, s) => String(f(a, s));
    case 'Any': {
      const name = node.attribute;
      if (name === undefined) return (a, s) => castToString(f(a, s));
      const text = missingAttributeText(name);
      const site = node.site;
      return (a, s) => {
        const v = a[name];
        if (typeof v === 'string') return v;
        if (v === undefined) {
          s.fail('missingAttribute', text, site);
          return '';
        }
        return String(v);
      };
    }
  }
}

/** The node's value as an Integer; a String that is not one is a CastError (section 3.7). */
export function asInteger(node: Node): Eval<number> {
  const f = node.evaluate;
  const site = node.site;
  switch (node.type) {
    case 'Integer':
      return f as Eval<number>;
    case 'Boolean':
      return (a, s) => (f(a, s) ? 1 : 0);
    case 'String':
    case 'Any':
      return (a, s) => {
        const v = f(a, s);
        if (typeof v === 'number') return v;
        return s.failed ? 0 : castToInteger(v, s, site);
      };
  }
}

/** The node's value as a Boolean; a String other than true/false is a CastError (section 3.7). */
export function asBoolean(node: Node): Eval<boolean> {
  const f = node.evaluate;
  const site = node.site;
  switch (node.type) {
    case 'Boolean':
      return f as Eval<boolean>;
    case 'Integer':
      return (a, s) => f(a, s) !== 0;
    case 'String':
    case 'Any':
      return (a, s) => {
        const v = f(a, s);
        if (typeof v === 'boolean') return v;
        return s.failed ? false : castToBoolean(v, s, site);
      };
  }
}

/** The node's value cast to `type`. */
export function asType(node: Node, type: CesqlType): Eval<CesqlValue> {
  switch (type) {
    case 'String':
      return asString(node);
    case 'Integer':
      return asInteger(node);
    case 'Boolean':
      return asBoolean(node);
  }
}
