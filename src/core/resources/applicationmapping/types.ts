/**
 * ApplicationMapping (`applicationconnector.kyma-project.io/v1alpha1`, namespaced; ARCHITECTURE 2.3): binds
 * the Application of the same name to the mapping's namespace. That binding is the application's permission
 * to send events to the namespace's `default` broker. The Kyma spec (a list of service ids) is optional and
 * not used by cemesh.
 */
import type { Resource } from '../object.js';
import { namespaceOrDefault } from '../defaults.js';

/** The broker a bound application's events go to in each of its namespaces (Kyma's eventing). */
export const APPLICATION_BROKER = 'default';

export interface ApplicationBinding {
  readonly application: string;
  readonly namespace: string;
}

/** The application a mapping binds, and the namespace it binds it to. */
export function applicationBinding(mapping: Resource): ApplicationBinding {
  return { application: mapping.metadata.name, namespace: namespaceOrDefault(mapping.metadata.namespace) };
}
