/**
 * The OpenAPI paths: `/openapi/v2`, `/openapi/v3` and `/openapi/v3/{api|apis}/...`. The `?hash=` the v3
 * root hands out is accepted and not checked: the document served is always the current one.
 */
import { MeshError } from '../../core/errors.js';
import { openApiV2Document, openApiV3Document, openApiV3Root } from './openapi.js';

/** The document of an OpenAPI path, or undefined when the path is not one. */
export function openApi(path: string, accept: string | undefined): Record<string, unknown> | undefined {
  if (path === '/openapi/v2') {
    requireJson(accept);
    return openApiV2Document();
  }
  if (path === '/openapi/v3') return openApiV3Root();
  if (!path.startsWith('/openapi/v3/')) return undefined;
  const segments = path.slice('/openapi/v3/'.length).split('/');
  const [root, first = '', second = '', ...rest] = segments;
  const found =
    root === 'api' && second === '' && rest.length === 0
      ? openApiV3Document('', first)
      : root === 'apis' && rest.length === 0 && second !== ''
        ? openApiV3Document(first, second)
        : undefined;
  if (found === undefined)
    throw new MeshError('MESH_NOT_FOUND', `the server could not find the requested resource: ${path}`);
  return found;
}

/**
 * client-go asks for v2 in protobuf only; cemesh publishes JSON, so that is a 406 and kubectl falls back
 * (it reads v3 for explain and validation). A client that accepts JSON gets it.
 */
function requireJson(accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return;
  const types = accept.split(',').map((t) => (t.split(';')[0] ?? '').trim().toLowerCase());
  if (types.some((t) => t === 'application/json' || t === 'application/*' || t === '*/*')) return;
  throw new MeshError(
    'MESH_NOT_ACCEPTABLE',
    'the OpenAPI v2 document is served as application/json only (use /openapi/v3 for the typed documents)',
  );
}
