/**
 * The sender token routes (docs/security.md, "Sender authorization"), outside the kind registry because a
 * token is shown once and never stored: `POST /apis/security.cemesh.dev/v1alpha1/namespaces/{ns}/sendertokens`
 * with `{"subject", "name"?}` answers 201 with the token; `GET` lists (all namespaces without
 * `namespaces/{ns}`); `DELETE .../sendertokens/{name}` revokes.
 */
import { MeshError } from '../../core/errors.js';
import type { SenderTokens } from '../sender-tokens.js';
import { parseJsonObject } from './body.js';
import { requireNamespace } from './resources.js';
import type { ApiResult, CoreDeps } from './types.js';

export const SENDER_TOKENS_PREFIX = '/apis/security.cemesh.dev/v1alpha1/';
const API_VERSION = 'security.cemesh.dev/v1alpha1';

interface TokenRoute {
  readonly namespace: string | undefined;
  readonly name: string | undefined;
}

function parse(path: string): TokenRoute | undefined {
  const rest = path.slice(SENDER_TOKENS_PREFIX.length).split('/');
  try {
    if (rest.length === 1 && rest[0] === 'sendertokens') return { namespace: undefined, name: undefined };
    if (rest[0] !== 'namespaces' || rest[2] !== 'sendertokens' || !rest[1]) return undefined;
    const namespace = decodeURIComponent(rest[1]);
    if (rest.length === 3) return { namespace, name: undefined };
    if (rest.length === 4 && rest[3]) return { namespace, name: decodeURIComponent(rest[3]) };
  } catch {
    return undefined;
  }
  return undefined;
}

export async function handleSenderTokens(
  deps: CoreDeps,
  tokens: SenderTokens | undefined,
  method: string,
  path: string,
  body: Buffer | undefined,
): Promise<ApiResult> {
  const route = parse(path);
  if (route === undefined || tokens === undefined)
    throw new MeshError('MESH_NOT_FOUND', `the server could not find the requested resource: ${path}`);
  const { namespace, name } = route;
  if (namespace !== undefined) await requireNamespace(deps, namespace);
  if (name === undefined && method === 'GET') {
    const items = (await tokens.list(namespace)).map(toObject);
    return { status: 200, body: { apiVersion: API_VERSION, kind: 'SenderTokenList', items } };
  }
  if (name === undefined && method === 'POST' && namespace !== undefined) {
    const request = parseJsonObject(body ?? Buffer.alloc(0));
    const unknown = Object.keys(request).filter((k) => k !== 'subject' && k !== 'name');
    if (unknown.length > 0)
      throw new MeshError('MESH_RESOURCE_INVALID', `unknown field "${unknown[0] ?? ''}"`, {
        causes: unknown.map((field) => ({ field, message: 'unknown field' })),
      });
    const issued = await tokens.issue(namespace, request['subject'], request['name']);
    return { status: 201, body: { ...toObject(issued), token: issued.token } };
  }
  if (name !== undefined && method === 'DELETE' && namespace !== undefined) {
    await tokens.revoke(namespace, name);
    return { status: 200, body: { kind: 'Status', apiVersion: 'v1', status: 'Success', details: { name } } };
  }
  throw new MeshError('MESH_METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
}

function toObject(info: { name: string; namespace: string; subject: string; issuedAt: string }) {
  return {
    apiVersion: API_VERSION,
    kind: 'SenderToken',
    metadata: { name: info.name, namespace: info.namespace, creationTimestamp: info.issuedAt },
    subject: info.subject,
  };
}
