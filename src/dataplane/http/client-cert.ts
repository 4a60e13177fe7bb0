/**
 * Client certificates (`cemesh serve --client-ca FILE`): a TLS listener asks for one and verifies it against
 * that CA; a verified certificate's subject CN names the application it authenticates (docs/security.md,
 * "Client certificates"). Without --client-ca no certificate is asked for and this finds none.
 */
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';

/** The application a verified client certificate names, or undefined (no TLS, no certificate, not verified). */
export function certificateApplication(socket: Socket): string | undefined {
  if (!(socket instanceof TLSSocket) || !socket.authorized) return undefined;
  const cn = socket.getPeerCertificate().subject?.CN;
  const name = Array.isArray(cn) ? undefined : cn;
  return typeof name === 'string' && name !== '' ? name : undefined;
}
