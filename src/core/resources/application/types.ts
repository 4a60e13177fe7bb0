/**
 * Application (`applicationconnector.kyma-project.io/v1alpha1`, cluster-scoped; ARCHITECTURE 2.3): an
 * external system that sends events through the gateway. cemesh reads only its name and description; the
 * other Kyma fields (services, labels, skipVerify, ...) are kept so that Kyma manifests apply unchanged.
 */
import type { Resource } from '../object.js';

export interface ApplicationSpec {
  readonly description: string | undefined;
}

export function applicationSpec(application: Resource): ApplicationSpec {
  const description = application.spec?.description;
  return { description: typeof description === 'string' ? description : undefined };
}
