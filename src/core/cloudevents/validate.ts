/**
 * Validation of a CloudEvent against every CloudEvents 1.0 rule (spec "Context Attributes" and "Type System").
 * The first broken rule is thrown as a MeshError naming the attribute and the rule.
 */
import { MeshError } from '../errors.js';
import { CONTEXT_ATTRIBUTES, REQUIRED_ATTRIBUTES, isAttributeName } from './attributes.js';
import { invalidAttribute, unsupportedSpecVersion } from './event-errors.js';
import { isMediaType } from './media-type.js';
import type { AttributeValue, CloudEvent } from './model.js';
import { SPEC_VERSION } from './model.js';
import { stringViolation } from './string-rules.js';
import { isTimestamp } from './timestamp.js';
import { isUri, isUriReference } from './uri.js';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * `specversion` is checked before anything else so that an event of another version (0.3, say) is rejected
 * with MESH_SPECVERSION_UNSUPPORTED rather than with whatever 1.0 rule its other attributes happen to break.
 */
export function checkSpecVersion(value: unknown): void {
  if (value === undefined || value === null) {
    throw invalidAttribute('specversion', 'required', 'required attribute is missing');
  }
  if (typeof value !== 'string') {
    throw invalidAttribute('specversion', 'type:String', `must be a string, got ${describe(value)}`);
  }
  if (value.length === 0) throw invalidAttribute('specversion', 'non-empty', 'must be a non-empty string');
  if (value !== SPEC_VERSION) throw unsupportedSpecVersion(value);
}

/** Spec "REQUIRED Attributes": id, source, specversion and type MUST be present. */
export function checkRequired(attributes: Readonly<Record<string, unknown>>): void {
  for (const name of REQUIRED_ATTRIBUTES) {
    if (attributes[name] === undefined)
      throw invalidAttribute(name, 'required', 'required attribute is missing');
  }
}

/** Throws MESH_EVENT_INVALID (or MESH_SPECVERSION_UNSUPPORTED) unless `event` is a valid CloudEvents 1.0 event. */
export function validateEvent(event: CloudEvent): void {
  const attributes = event.attributes;
  if (typeof attributes !== 'object' || attributes === null) {
    throw new MeshError('MESH_EVENT_INVALID', 'the event has no attributes object');
  }
  checkSpecVersion(attributes.specversion);
  checkRequired(attributes);
  for (const name of Object.keys(attributes)) validateAttribute(name, attributes[name]);
  if (event.data !== undefined && !(event.data instanceof Uint8Array)) {
    throw invalidAttribute('data', 'type:Binary', `data must be a Uint8Array, got ${describe(event.data)}`);
  }
}

/** Checks one attribute's name and value; used for whole events and for single changes (withAttributes). */
/** Spec "Attribute Naming Convention" (see isAttributeName). */
export function checkAttributeName(name: string): void {
  if (isAttributeName(name)) return;
  throw invalidAttribute(
    name,
    'name',
    name === 'data'
      ? "'data' is reserved for the event data and cannot be an attribute name"
      : 'attribute names must consist of lower-case letters a-z and digits 0-9 (spec: Attribute Naming Convention)',
  );
}

/** Checks one attribute's name and value; used for whole events and for single changes (withAttributes). */
export function validateAttribute(name: string, value: unknown): void {
  checkAttributeName(name);
  const type = CONTEXT_ATTRIBUTES[name];
  if (type === undefined) {
    validateExtensionValue(name, value);
    return;
  }
  if (typeof value !== 'string') {
    throw invalidAttribute(name, `type:${type}`, `must be a string (${type}), got ${describe(value)}`);
  }
  // Every context attribute of 1.0 MUST be a non-empty string when present (id, source, specversion, type by
  // their constraints; dataschema, subject "if present, MUST be non-empty"; datacontenttype and time by format).
  if (value.length === 0) throw invalidAttribute(name, 'non-empty', 'must be a non-empty string');
  checkString(name, value);
  switch (name) {
    case 'specversion':
      if (value !== SPEC_VERSION) throw unsupportedSpecVersion(value);
      return;
    case 'source':
      if (!isUriReference(value)) {
        throw invalidAttribute(
          name,
          'type:URI-reference',
          `'${value}' is not a URI-reference (RFC 3986 4.1)`,
        );
      }
      return;
    case 'dataschema':
      if (!isUri(value))
        throw invalidAttribute(name, 'type:URI', `'${value}' is not an absolute URI (RFC 3986)`);
      return;
    case 'time':
      if (!isTimestamp(value))
        throw invalidAttribute(name, 'type:Timestamp', `'${value}' is not an RFC 3339 timestamp`);
      return;
    case 'datacontenttype':
      if (!isMediaType(value)) {
        throw invalidAttribute(
          name,
          'media-type',
          `'${value}' is not a media type of the RFC 2046 form type/subtype`,
        );
      }
      return;
  }
}

/** Extension values use the same type system: String-like text, Integer (int32) or Boolean (spec "Type System"). */
function validateExtensionValue(name: string, value: unknown): void {
  switch (typeof value) {
    case 'string':
      checkString(name, value);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isInteger(value)) {
        throw invalidAttribute(name, 'type:Integer', `Integer must be a whole number, got ${String(value)}`);
      }
      if (value < INT32_MIN || value > INT32_MAX) {
        throw invalidAttribute(
          name,
          'type:Integer',
          `Integer must fit in 32 bits (${INT32_MIN} to ${INT32_MAX}), got ${String(value)}`,
        );
      }
      return;
    default:
      throw invalidAttribute(
        name,
        'type',
        `must be a string, an Integer or a Boolean, got ${describe(value)}`,
      );
  }
}

function checkString(name: string, value: string): void {
  const problem = stringViolation(value);
  if (problem !== undefined) {
    throw invalidAttribute(
      name,
      'type:String',
      `${problem}: strings must not contain control characters, noncharacters or unpaired surrogates`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value as AttributeValue)}`;
}
