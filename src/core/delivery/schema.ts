/**
 * Knative's Destination, KReference and DeliverySpec (duck/v1) as schema parts, for the kinds whose specs
 * hold them (Broker, Trigger). Fields and names follow Knative's CRDs (config/core/resources/*.yaml);
 * `timeout`, `retryAfterMax` and `format` are Knative's experimental delivery fields, which cemesh serves.
 */
import { ref, type KindSchema, type Schema } from '../resources/schema.js';

export const DESTINATION = 'dev.knative.pkg.apis.duck.v1.Destination';
export const KREFERENCE = 'dev.knative.pkg.apis.duck.v1.KReference';
export const DELIVERY_SPEC = 'dev.knative.eventing.pkg.apis.duck.v1.DeliverySpec';

const NOT_YET = 'is not supported yet: cemesh does not verify this field';
const text: Schema = { type: 'string' };

const kreference: Schema = {
  type: 'object',
  description: 'A reference to an object in the mesh by apiVersion, kind, name and namespace.',
  properties: { apiVersion: text, kind: text, name: text, namespace: text },
};

const destination: Schema = {
  type: 'object',
  description: 'Where events go: an absolute URL, an addressable object, or a path relative to that object.',
  properties: {
    ref: ref(KREFERENCE),
    uri: text,
    CACerts: { type: 'string', description: 'PEM certificates trusted for HTTPS to this destination.' },
    // Declared by Knative's Destination (OIDC audience); cemesh's senders present tokens only to itself.
    audience: { type: 'string', 'x-cemesh-not-supported': NOT_YET },
  },
};

const deliverySpec: Schema = {
  type: 'object',
  description: 'How events are delivered: retries with backoff, timeout and where undeliverable ones go.',
  properties: {
    retry: { type: 'integer', format: 'int32' },
    backoffPolicy: { type: 'string', description: 'linear or exponential' },
    backoffDelay: { type: 'string', format: 'duration' },
    timeout: { type: 'string', format: 'duration' },
    retryAfterMax: { type: 'string', format: 'duration' },
    deadLetterSink: ref(DESTINATION),
    format: { type: 'string', description: 'json or binary' },
  },
};

/** The schema parts a kind using destinations and delivery options lists in its `components`. */
export const deliveryComponents: Readonly<Record<string, Schema>> = {
  [KREFERENCE]: kreference,
  [DESTINATION]: destination,
  [DELIVERY_SPEC]: deliverySpec,
};

/** A delivery spec on its own (config-br-defaults holds some, in YAML text). */
export const deliverySchema: KindSchema = {
  openAPIV3Schema: ref(DELIVERY_SPEC),
  components: deliveryComponents,
};
