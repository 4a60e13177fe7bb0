/** The reconcile hook of each kind that has one: one line per kind, as the kind registry lists kinds. */
import { APPLICATION_CREDENTIAL_KIND } from '../../core/kyma/index.js';
import { applicationCredentialHook, applicationHook, applicationMappingHook } from './application.js';
import { brokerHook } from './broker.js';
import { eventPolicyHook, senderCredentialHook } from './eventpolicy.js';
import { SENDER_CREDENTIAL_KIND } from '../../core/authz/credential.js';
import { functionHook } from './function.js';
import { registerReconcileHook } from './hooks.js';
import { triggerHook } from './trigger.js';

registerReconcileHook('Broker', brokerHook);
registerReconcileHook('Trigger', triggerHook);
registerReconcileHook('Function', functionHook);
registerReconcileHook('Application', applicationHook);
registerReconcileHook('ApplicationMapping', applicationMappingHook);
registerReconcileHook(APPLICATION_CREDENTIAL_KIND, applicationCredentialHook);
registerReconcileHook('EventPolicy', eventPolicyHook);
registerReconcileHook(SENDER_CREDENTIAL_KIND, senderCredentialHook);
