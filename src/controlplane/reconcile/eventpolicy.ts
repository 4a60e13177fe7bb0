/**
 * Sender authorization in the reconciler (docs/decisions/sender-authorization.md): an EventPolicy's status
 * (the subjects its `spec.from` resolves to), which policies select each broker and the default
 * authorization mode from `knative-eventing/config-features`, handed to the data plane; and sender
 * credentials, whose digests reach the data plane.
 */
import { authorizationModeOf, CONFIG_FEATURES } from '../../core/authz/mode.js';
import { senderTokenOf, credentialKey } from '../../core/authz/credential.js';
import { KNATIVE_EVENTING_NAMESPACE } from '../../core/resources/configmap/types.js';
import { eventPolicyLifecycle } from '../../core/resources/eventpolicy/conditions.js';
import {
  allowedSubjects,
  EVENT_POLICY_API_VERSION,
  policySelectsBroker,
  readEventPolicy,
} from '../../core/resources/eventpolicy/types.js';
import { namespaceOrDefault } from '../../core/resources/defaults.js';
import type { Resource } from '../../core/resources/object.js';
import type { BrokerAccessWiring } from '../../core/wiring.js';
import type { ResourceCache } from './cache.js';
import type { ReconcileHook } from './hooks.js';

/** Who may send to a broker, and the policies that decide it (for its status). */
export function brokerAccess(
  cache: ResourceCache,
  broker: Resource,
): { wiring: BrokerAccessWiring; policies: Resource[] } {
  const namespace = namespaceOrDefault(broker.metadata.namespace);
  const features = cache.get('ConfigMap', KNATIVE_EVENTING_NAMESPACE, CONFIG_FEATURES);
  const policies = cache
    .list('EventPolicy', namespace)
    .filter((policy) => policySelectsBroker(policy, readEventPolicy(policy), broker))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return {
    wiring: {
      namespace,
      name: broker.metadata.name,
      mode: authorizationModeOf(features?.['data'] as Record<string, unknown> | undefined),
      policies: policies.map((policy) => {
        const spec = readEventPolicy(policy);
        return { name: policy.metadata.name, subjects: allowedSubjects(policy, spec), filters: spec.filters };
      }),
    },
    policies,
  };
}

/** Knative's broker `status.policies`: the policies that apply to it. */
export function policiesStatus(policies: readonly Resource[]): { apiVersion: string; name: string }[] {
  return policies.map((p) => ({ apiVersion: EVENT_POLICY_API_VERSION, name: p.metadata.name }));
}

/** An EventPolicy's status: the subjects `spec.from` resolves to (Knative's `status.from`). */
export const eventPolicyHook: ReconcileHook = {
  reconcile(ctx, policy) {
    const lifecycle = eventPolicyLifecycle(policy.status?.conditions, ctx.now);
    // Admission refuses every `from` entry without a subject, so resolving cannot fail.
    lifecycle.markSubjectsResolved();
    return {
      status: {
        observedGeneration: policy.metadata.generation,
        from: allowedSubjects(policy, readEventPolicy(policy)),
        conditions: lifecycle.conditions,
      },
    };
  },
};

/** A sender credential (internal: no status) hands its digest to the data plane; deleting it revokes it. */
export const senderCredentialHook: ReconcileHook = {
  reconcile(ctx, credential) {
    const token = senderTokenOf(credential);
    const key = credentialKey(namespaceOrDefault(credential.metadata.namespace), credential.metadata.name);
    ctx.dataPlane.setSenderToken(key, token);
    return {};
  },
  deleted: (ctx, credential) =>
    ctx.dataPlane.setSenderToken(
      credentialKey(namespaceOrDefault(credential.metadata.namespace), credential.metadata.name),
      undefined,
    ),
};
