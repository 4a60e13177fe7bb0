/**
 * What a read answers with, from its `Accept` header, as the Kubernetes API server negotiates it: a
 * `meta.k8s.io` Table (`application/json;as=Table;v=v1;g=meta.k8s.io`, what `kubectl get` asks for) or the
 * objects themselves. The entries are taken in the order the client lists them (client-go lists its
 * preference first and ends with plain `application/json`). Pure.
 */
import { MeshError } from '../../core/errors.js';

export type Representation =
  | { readonly as: 'object' }
  /** `version` is the Table's: `v1`, or `v1beta1` for old clients. */
  | { readonly as: 'Table'; readonly version: 'v1' | 'v1beta1' };

const TABLE_VERSIONS = new Set(['v1', 'v1beta1']);
const JSON_TYPES = new Set(['application/json', 'application/*', '*/*']);

/**
 * The representation of the first entry cemesh serves. No header, or only types that name no `as=`
 * (`application/x-ndjson` for a watch, `text/plain`...), means the objects, as before negotiation existed;
 * a header whose every entry asks for a transformation cemesh lacks (`as=PartialObjectMetadataList`) is a
 * 406 naming what it serves.
 */
export function negotiate(accept: string | undefined): Representation {
  if (accept === undefined || accept.trim() === '') return { as: 'object' };
  let transformed = 0;
  for (const entry of accept.split(',')) {
    const [type = '', ...rawParams] = entry.split(';').map((p) => p.trim());
    const params = new Map(
      rawParams.map((p) => {
        const at = p.indexOf('=');
        return at < 0 ? [p.toLowerCase(), ''] : [p.slice(0, at).toLowerCase(), p.slice(at + 1).trim()];
      }),
    );
    const as = params.get('as');
    if (as === undefined) return { as: 'object' };
    transformed += 1;
    if (!JSON_TYPES.has(type.toLowerCase())) continue;
    const version = params.get('v') ?? '';
    if (as === 'Table' && params.get('g') === 'meta.k8s.io' && TABLE_VERSIONS.has(version)) {
      return { as: 'Table', version: version as 'v1' | 'v1beta1' };
    }
  }
  if (transformed === 0) return { as: 'object' };
  throw new MeshError(
    'MESH_NOT_ACCEPTABLE',
    `none of the media types in Accept can be served: cemesh answers application/json, or a Table ` +
      `(application/json;as=Table;v=v1;g=meta.k8s.io)`,
  );
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

const INCLUDE: readonly IncludeObject[] = ['None', 'Metadata', 'Object'];

/** `?includeObject=` of a Table request: Metadata (the default, as in Kubernetes), Object or None. */
export function includeObjectOf(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  if (value === null || value === '') return 'Metadata';
  const found = INCLUDE.find((i) => i === value);
  if (found !== undefined) return found;
  throw new MeshError(
    'MESH_REQUEST_INVALID',
    `includeObject must be ${INCLUDE.join(', ')} or left out (Metadata), not ${JSON.stringify(value)}`,
  );
}
