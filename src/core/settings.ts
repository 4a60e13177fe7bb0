/** Names shared by the CLI (which declares `serve`'s flags) and the server (which parses them). */

/** `adminPort` -> `CEMESH_ADMIN_PORT`: every `serve` flag can also be given as an environment variable. */
export function envName(setting: string): string {
  return `CEMESH_${setting.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`;
}
