/** Starting points for New: one manifest per kind the console knows how to start. */
export const TEMPLATES: Readonly<Record<string, (namespace: string) => string>> = {
  Broker: (ns) => `apiVersion: eventing.knative.dev/v1
kind: Broker
metadata:
  name: default
  namespace: ${ns}
`,
  Trigger: (ns) => `apiVersion: eventing.knative.dev/v1
kind: Trigger
metadata:
  name: my-trigger
  namespace: ${ns}
spec:
  broker: default
  filter:
    attributes:
      type: order.created
  subscriber:
    uri: http://127.0.0.1:9000/
  delivery:
    retry: 3
    backoffPolicy: exponential
    backoffDelay: PT0.2S
`,
  Application: () => `apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: Application
metadata:
  name: my-shop
spec:
  description: The shop's order system
`,
  ApplicationMapping: (ns) => `apiVersion: applicationconnector.kyma-project.io/v1alpha1
kind: ApplicationMapping
metadata:
  name: my-shop
  namespace: ${ns}
`,
};
