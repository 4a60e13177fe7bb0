/**
 * ConfigMap (`v1`, namespaced). Most ConfigMaps are plain data to cemesh; two shapes from Knative carry
 * meaning and are validated: `config-br-defaults` (the broker defaults, read from namespace
 * `knative-eventing`) and any ConfigMap holding a `channel-template-spec` (a broker config naming the
 * channel kind, which chooses the persistence; ARCHITECTURE 2.6).
 */
export const CONFIG_BR_DEFAULTS = 'config-br-defaults';
export const DEFAULT_BR_CONFIG_KEY = 'default-br-config';
export const CHANNEL_TEMPLATE_KEY = 'channel-template-spec';
/** Where Knative keeps its configuration, and where cemesh reads `config-br-defaults` from. */
export const KNATIVE_EVENTING_NAMESPACE = 'knative-eventing';
