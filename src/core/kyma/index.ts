/** Kyma application connectivity (ARCHITECTURE 2.3), the pure parts: legacy event API, errors, credentials. */
export {
  EVENT_TYPE_VERSION_EXTENSION,
  LEGACY_DATA_CONTENT_TYPE,
  LEGACY_MAX_BODY_BYTES,
  legacyToCloudEvent,
  parseLegacyRequest,
} from './legacy.js';
export type { LegacyPublishRequest } from './legacy.js';
export { BAD_PAYLOAD_MESSAGE, legacyFieldError, toKymaError } from './errors.js';
export type { GenericReply, KymaError, KymaErrorDetail, LegacyField, LegacyRule } from './errors.js';
export { subscribedEvents, subscriptionAsTriggers } from './subscribed.js';
export type { SubscribedEvent, TriggerSubscription } from './subscribed.js';
export {
  APPLICATION_CREDENTIAL_API_VERSION,
  APPLICATION_CREDENTIAL_KIND,
  applicationCredential,
  credentialHash,
  hashApplicationToken,
} from './credential.js';
export { topLevelMemberText } from './json-member.js';
export {
  cleanEventType,
  cleanSource,
  cleanTypeSegments,
  KYMA_EVENT_TYPE_PREFIX,
  splitVersion,
} from './event-type.js';
export type { Cleaned } from './event-type.js';
