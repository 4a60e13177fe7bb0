/**
 * `GET|PUT /admin/log-level`: the server's log level, read and changed without a restart (Knative operators do
 * this by editing `config-logging`; here it is one call, or `cemesh log-level debug`). Authenticated like
 * every API route. The change lasts until the process restarts; `--log-level` sets the level at start.
 */
import { MeshError } from '../../core/errors.js';
import { parseJson } from './body.js';
import type { ApiResult } from './types.js';

export const LOG_LEVEL_PATH = '/admin/log-level';

/** pino's levels, most to least verbose, and `silent`. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

export interface LogLevelControl {
  get(): string;
  set(level: string): void;
}

export function handleLogLevel(
  control: LogLevelControl | undefined,
  method: string,
  body: Buffer | undefined,
): ApiResult {
  if (control === undefined) throw new MeshError('MESH_NOT_FOUND', 'this server has no runtime log level');
  if (method === 'GET') return { status: 200, body: { level: control.get() } };
  if (method !== 'PUT') {
    throw new MeshError('MESH_METHOD_NOT_ALLOWED', `${LOG_LEVEL_PATH} answers GET and PUT, not ${method}`);
  }
  const parsed = parseJson((body ?? Buffer.alloc(0)).toString('utf8'));
  const level =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)['level']
      : undefined;
  const extra =
    typeof parsed === 'object' && parsed !== null ? Object.keys(parsed).filter((k) => k !== 'level') : [];
  if (extra.length > 0) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `unknown field(s) ${extra.join(', ')}: the body is {"level": LEVEL}`,
    );
  }
  if (typeof level !== 'string' || !(LOG_LEVELS as readonly string[]).includes(level)) {
    throw new MeshError(
      'MESH_REQUEST_INVALID',
      `level: must be one of ${LOG_LEVELS.join(', ')}, not ${JSON.stringify(level ?? null)}`,
    );
  }
  const previous = control.get();
  control.set(level);
  return { status: 200, body: { level, previous } };
}
