/**
 * The context attributes that CloudEvents 1.0 defines, with their types (spec "REQUIRED Attributes" and
 * "OPTIONAL Attributes"), and the naming rule every attribute, extensions included, must follow.
 */

export type AttributeType = 'String' | 'URI' | 'URI-reference' | 'Timestamp';

/** The spec's own context attributes. Every other name is an extension. */
export const CONTEXT_ATTRIBUTES: Readonly<Record<string, AttributeType>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, AttributeType>, {
    id: 'String',
    source: 'URI-reference',
    specversion: 'String',
    type: 'String',
    datacontenttype: 'String',
    dataschema: 'URI',
    subject: 'String',
    time: 'Timestamp',
  }),
);

/** Attributes every event MUST carry (spec "REQUIRED Attributes"), in the order they are checked. */
export const REQUIRED_ATTRIBUTES = ['specversion', 'id', 'source', 'type'] as const;

/** True when `name` is not one of the spec's context attributes, i.e. an extension attribute. */
export function isExtension(name: string): boolean {
  return CONTEXT_ATTRIBUTES[name] === undefined;
}

/**
 * Spec "Attribute Naming Convention": names MUST consist of lower-case letters a-z or digits 0-9 and be at
 * least one character long; `data` is reserved by the event formats (JSON format 3.1). The 20-character limit
 * is a SHOULD NOT, so longer names are accepted.
 */
export function isAttributeName(name: string): boolean {
  const length = name.length;
  if (length === 0) return false;
  for (let i = 0; i < length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return name !== 'data';
}
