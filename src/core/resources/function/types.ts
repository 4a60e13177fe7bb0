/** The Function kind's identity and conditions (Kyma's `serverless.kyma-project.io/v1alpha2`). */
export const FUNCTION_API_VERSION = 'serverless.kyma-project.io/v1alpha2';
export const FUNCTION_KIND = 'Function';

/** Kyma's conditions, and cemesh's `Ready` derived from them. */
export const CONFIGURATION_READY = 'ConfigurationReady';
export const BUILD_READY = 'BuildReady';
export const RUNNING = 'Running';
