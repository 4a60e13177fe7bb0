import { MeshError } from '../../core/errors.js';

/**
 * Refuses a request that repeats a CloudEvents header (`ce-*`) or its content type. Node joins repeated
 * headers with ", " (or keeps the first content type), so two `ce-id` headers would become the id "1, 2": an
 * attribute the sender never wrote. The HTTP binding (section 3.1.3) maps each attribute to one header.
 */
export function refuseRepeatedEventHeaders(rawHeaders: readonly string[]): void {
  let seen: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const first = name.charCodeAt(0) | 0x20;
    // Only `ce-…` and `content-type` matter; most other headers are skipped by their first letter.
    if (first !== 0x63 /* c */) continue;
    const lower = name.toLowerCase();
    if (!lower.startsWith('ce-') && lower !== 'content-type') continue;
    seen ??= new Set();
    if (seen.has(lower)) {
      throw new MeshError(
        'MESH_EVENT_INVALID',
        `header ${lower} is repeated; each attribute takes one header`,
        {
          attribute: lower.startsWith('ce-') ? lower.slice(3) : 'datacontenttype',
          rule: 'repeated',
        },
      );
    }
    seen.add(lower);
  }
}
