/**
 * The gateway's paths (ARCHITECTURE 2.3), each under the application's name, and Kyma's `/publish`, whose
 * application is the one its token is issued to.
 */

export interface GatewayRoute {
  readonly application: string;
  /**
   * `events`: CloudEvents; `legacy`: the Kyma event API; `subscribed`: its subscribed-events listing;
   * `publish`: Kyma's publisher proxy endpoint (its application is '' until the token names it).
   */
  readonly kind: 'events' | 'legacy' | 'subscribed' | 'publish';
}

/** `/publish`, `/{app}/events`, `/{app}/v1/events` or `/{app}/v1/events/subscribed`, with an optional query. */
export function parseGatewayPath(url: string): GatewayRoute | undefined {
  const query = url.indexOf('?');
  const parts = (query === -1 ? url : url.slice(0, query)).split('/');
  if (parts[0] !== '' || !parts[1]) return undefined;
  let application: string;
  try {
    application = decodeURIComponent(parts[1]);
  } catch {
    return undefined;
  }
  if (parts.length === 2 && application === 'publish') return { application: '', kind: 'publish' };
  const rest = parts.slice(2).join('/');
  switch (rest) {
    case 'events':
      return { application, kind: 'events' };
    case 'v1/events':
      return { application, kind: 'legacy' };
    case 'v1/events/subscribed':
      return { application, kind: 'subscribed' };
    default:
      return undefined;
  }
}
