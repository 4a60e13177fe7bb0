/**
 * The default authorization mode (Knative's `config-features`, key `default-authorization-mode`): how a
 * broker that no EventPolicy selects treats senders. `allow-all` (the default) keeps every existing sender
 * working; `allow-same-namespace` takes senders of the broker's namespace; `deny-all` takes none.
 */
export const CONFIG_FEATURES = 'config-features';
export const AUTHORIZATION_MODE_KEY = 'default-authorization-mode';
export const AUTHORIZATION_MODES = ['allow-all', 'allow-same-namespace', 'deny-all'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];
export const DEFAULT_AUTHORIZATION_MODE: AuthorizationMode = 'allow-all';

export function isAuthorizationMode(value: unknown): value is AuthorizationMode {
  return (AUTHORIZATION_MODES as readonly unknown[]).includes(value);
}

/** The mode `config-features` data sets; the default when the key is absent. Admission refuses other values. */
export function authorizationModeOf(data: Readonly<Record<string, unknown>> | undefined): AuthorizationMode {
  const value = data?.[AUTHORIZATION_MODE_KEY];
  const trimmed = typeof value === 'string' ? value.trim() : value;
  return isAuthorizationMode(trimmed) ? trimmed : DEFAULT_AUTHORIZATION_MODE;
}

/** Why a `default-authorization-mode` value is refused; undefined when it is one of the modes. */
export function authorizationModeProblem(value: string): string | undefined {
  return isAuthorizationMode(value.trim())
    ? undefined
    : `must be one of ${AUTHORIZATION_MODES.join(', ')}, not "${value.slice(0, 64)}"`;
}
