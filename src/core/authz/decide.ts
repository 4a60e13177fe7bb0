/**
 * Who may send to a broker (docs/decisions/sender-authorization.md), as pure decisions over a broker's
 * compiled access. Knative's semantics: a broker that EventPolicies select takes only the senders they
 * allow, and only the events their filters pass; a broker none selects follows the default authorization
 * mode. Then cemesh's own rule: an event whose `source` names a registered Application is taken only from a
 * sender that may speak for it. Refusals are 401 (no credential where one is needed) or 403.
 */
import type { CloudEvent } from '../cloudevents/model.js';
import { MeshError } from '../errors.js';
import type { EventPredicate } from '../filters/index.js';
import type { AuthorizationMode } from './mode.js';
import { applicationOf, subjectMatches } from './subjects.js';

/** A sender whose credential was checked: its subject, and the namespace it belongs to, if any. */
export interface SenderIdentity {
  readonly subject: string;
  readonly namespace: string | undefined;
}

/** One EventPolicy that applies to a broker, compiled once per change. */
export interface CompiledPolicy {
  readonly name: string;
  /** `spec.from` as subject patterns. */
  readonly subjects: readonly string[];
  /** `spec.filters`, compiled; undefined: every event passes. */
  readonly filter: EventPredicate | undefined;
  /** Applications its `from` names: the senders it allows may speak for them. */
  readonly applications: ReadonlySet<string>;
}

export interface BrokerAccess {
  readonly namespace: string;
  readonly name: string;
  readonly mode: AuthorizationMode;
  /** The EventPolicies that select the broker; empty: the mode decides. */
  readonly policies: readonly CompiledPolicy[];
}

/** Builds a policy's compiled form from its subjects and filter. */
export function compiledPolicy(
  name: string,
  subjects: readonly string[],
  filter: EventPredicate | undefined,
): CompiledPolicy {
  const applications = new Set<string>();
  for (const subject of subjects) {
    const application = subject.endsWith('*') ? undefined : applicationOf(subject);
    if (application !== undefined) applications.add(application);
  }
  return { name, subjects, filter, applications };
}

/**
 * What the sender may do at the broker, before its body is read: the policies that allow it (empty when no
 * policy selects the broker and the mode lets it in), or the refusal thrown as a MeshError.
 */
export function authorizeSender(
  access: BrokerAccess,
  sender: SenderIdentity | undefined,
): readonly CompiledPolicy[] {
  const where = `broker ${access.namespace}/${access.name}`;
  if (access.policies.length > 0) {
    if (sender === undefined)
      throw unauthorized(`${where} takes events only from senders its EventPolicies allow`);
    const allowing = access.policies.filter((p) => p.subjects.some((s) => subjectMatches(s, sender.subject)));
    if (allowing.length === 0)
      throw forbidden(`subject "${sender.subject}" is not allowed by any EventPolicy of ${where}`);
    return allowing;
  }
  switch (access.mode) {
    case 'allow-all':
      return [];
    case 'allow-same-namespace':
      if (sender === undefined)
        throw unauthorized(`${where} takes events only from senders of namespace ${access.namespace}`);
      if (sender.namespace !== access.namespace)
        throw forbidden(
          `subject "${sender.subject}" is not of namespace ${access.namespace} (default-authorization-mode allow-same-namespace)`,
        );
      return [];
    case 'deny-all':
      if (sender === undefined)
        throw unauthorized(`${where} takes events only from senders an EventPolicy allows`);
      throw forbidden(
        `${where} takes no events: no EventPolicy selects it and default-authorization-mode is deny-all`,
      );
  }
}

/**
 * Checks the events of a sender `authorizeSender` let in: each passes the filters of a policy that allows
 * the sender (when policies apply), and an event claiming a registered application's source comes from a
 * sender that may speak for that application. Throws the refusal.
 */
export function authorizeEvents(
  sender: SenderIdentity | undefined,
  allowing: readonly CompiledPolicy[],
  events: readonly CloudEvent[],
  applications: ReadonlySet<string>,
): void {
  const filtered = allowing.length > 0 && allowing.every((p) => p.filter !== undefined);
  for (const event of events) {
    if (filtered && !allowing.some((p) => p.filter === undefined || p.filter(event)))
      throw forbidden(
        `event ${quoteId(event)} does not pass the filters of the EventPolicies that allow "${sender?.subject ?? ''}"`,
      );
    if (applications.size === 0) continue;
    const source = event.attributes['source'];
    if (typeof source !== 'string' || !applications.has(source)) continue;
    if (sender !== undefined && applicationOf(sender.subject) === source) continue;
    if (allowing.some((p) => p.applications.has(source))) continue;
    throw forbidden(
      `event ${quoteId(event)} claims source "${source}", a registered Application; applications send through the gateway, or with subject application:${source}`,
    );
  }
}

function quoteId(event: CloudEvent): string {
  return JSON.stringify(String(event.attributes['id'] ?? '').slice(0, 128));
}

function unauthorized(message: string): MeshError {
  return new MeshError('MESH_UNAUTHORIZED', `${message}: present "Authorization: Bearer <token>"`);
}

function forbidden(message: string): MeshError {
  return new MeshError('MESH_FORBIDDEN', message);
}
