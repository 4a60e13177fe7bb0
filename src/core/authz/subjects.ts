/**
 * Sender subjects: the names EventPolicies allow (`spec.from[].sub`) and sender tokens carry. Knative's
 * senders are OIDC identities, `system:serviceaccount:<namespace>:<account>`; cemesh gives its own senders
 * subjects of that shape (docs/decisions/sender-authorization.md) and applications `application:<name>`.
 */

const SERVICE_ACCOUNT = 'system:serviceaccount:';
const APPLICATION = 'application:';

/** What replies and deliveries of a trigger send as when they re-enter a broker (Knative's oidc-trigger-*). */
export function triggerSubject(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT}${namespace}:oidc-trigger-${name}`;
}

/** What a hosted function's `emitCloudEvent` sends as. */
export function functionSubject(namespace: string, name: string): string {
  return `${SERVICE_ACCOUNT}${namespace}:oidc-function-${name}`;
}

/** What an application sends as: through the gateway, with a sender token or a client certificate. */
export function applicationSubject(name: string): string {
  return `${APPLICATION}${name}`;
}

/** The application a subject speaks as, if it is an application's. */
export function applicationOf(subject: string): string | undefined {
  return subject.startsWith(APPLICATION) ? subject.slice(APPLICATION.length) : undefined;
}

/** The namespace of a `system:serviceaccount:<namespace>:<name>` subject; undefined for any other. */
export function serviceAccountNamespace(subject: string): string | undefined {
  if (!subject.startsWith(SERVICE_ACCOUNT)) return undefined;
  const rest = subject.slice(SERVICE_ACCOUNT.length);
  const colon = rest.indexOf(':');
  return colon > 0 && colon < rest.length - 1 ? rest.slice(0, colon) : undefined;
}

/**
 * Knative's `sub` matching: a pattern ending in `*` matches every subject that starts with what comes
 * before it; any other pattern matches only itself. `*` elsewhere is an ordinary character.
 */
export function subjectMatches(pattern: string, subject: string): boolean {
  return pattern.endsWith('*') ? subject.startsWith(pattern.slice(0, -1)) : pattern === subject;
}

/** The most characters a subject may have (a token's, or a policy's `sub`). */
export const MAX_SUBJECT_LENGTH = 253;

/** Why a subject (or, with `pattern`, a `sub` pattern) is not acceptable; undefined when it is. */
export function subjectProblem(subject: string, pattern = false): string | undefined {
  if (subject === '') return 'must not be empty';
  if (subject.length > MAX_SUBJECT_LENGTH) return `must have at most ${MAX_SUBJECT_LENGTH} characters`;
  if (/[\s\p{Cc}]/u.test(subject)) return 'must not contain spaces or control characters';
  const star = subject.indexOf('*');
  if (!pattern && star >= 0) return 'must not contain "*" (only a policy\'s sub may end in one)';
  if (pattern && star >= 0 && star !== subject.length - 1) return '"*" may only end the pattern';
  return undefined;
}
