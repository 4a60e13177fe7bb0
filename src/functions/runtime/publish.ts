/**
 * `event.emitCloudEvent` on the wire: one structured-mode POST to the namespace's default broker, resolved
 * once the broker stored the event (2xx), rejected with the broker's answer otherwise. Runs in the replica, so
 * it uses node:http (the replica cannot read cemesh's node_modules).
 */
import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });
const PUBLISH_TIMEOUT_MS = 30_000;

export interface Published {
  readonly status: number;
}

export function publishEvent(
  url: string,
  authorization: string | undefined,
  event: Record<string, unknown>,
): Promise<Published> {
  const body = Buffer.from(JSON.stringify(event), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        timeout: PUBLISH_TIMEOUT_MS,
        headers: {
          'content-type': 'application/cloudevents+json',
          'content-length': body.length,
          ...(authorization === undefined ? {} : { authorization }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve({ status });
          else {
            const text = Buffer.concat(chunks).toString('utf8').slice(0, 1024);
            reject(new Error(`publishing the event failed: ${status} ${text}`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`publishing the event timed out after ${PUBLISH_TIMEOUT_MS} ms`)),
    );
    req.on('error', reject);
    req.end(body);
  });
}
