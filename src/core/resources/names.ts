/**
 * Kubernetes name syntaxes, so that YAML valid for a Kubernetes cluster is valid here and nothing else is:
 * RFC 1123 labels and subdomains for object names, qualified names for label and annotation keys, label
 * values, and ConfigMap keys. Each check returns the reason a value is invalid, or undefined.
 */

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL = new RegExp(`^${LABEL}$`);
const DNS1123_SUBDOMAIN = new RegExp(`^${LABEL}(\\.${LABEL})*$`);
const QUALIFIED_NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

export const DNS1123_LABEL_MAX = 63;
export const DNS1123_SUBDOMAIN_MAX = 253;

/** Namespace names and other single DNS labels. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > DNS1123_LABEL_MAX) return `must be no more than ${DNS1123_LABEL_MAX} characters`;
  if (!DNS1123_LABEL.test(value)) {
    return 'must be an RFC 1123 label: lower case letters, digits and "-", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Names of most objects (brokers, triggers, config maps, applications). */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > DNS1123_SUBDOMAIN_MAX) return `must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`;
  if (!DNS1123_SUBDOMAIN.test(value)) {
    return 'must be an RFC 1123 subdomain: lower case letters, digits, "-" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Label and annotation keys: `[prefix/]name`, prefix a DNS subdomain, name up to 63 characters. */
export function qualifiedNameProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  const prefix = slash === -1 ? undefined : value.slice(0, slash);
  const name = slash === -1 ? value : value.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix === '') return 'has an empty prefix before "/"';
    const problem = dns1123SubdomainProblem(prefix);
    if (problem !== undefined) return `prefix ${problem}`;
  }
  if (name === '') return 'has an empty name';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(name)) {
    return 'name part must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** Label values: empty, or up to 63 characters of the qualified-name alphabet. */
export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'must be no more than 63 characters';
  if (!QUALIFIED_NAME_PART.test(value)) {
    return 'must consist of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

/** ConfigMap `data` keys (they become file names when Kubernetes mounts a ConfigMap). */
export function configMapKeyProblem(value: string): string | undefined {
  if (value.length > DNS1123_SUBDOMAIN_MAX) return `must be no more than ${DNS1123_SUBDOMAIN_MAX} characters`;
  if (!CONFIGMAP_KEY.test(value)) return 'must consist of letters, digits, "-", "_" and "."';
  if (value === '.' || value === '..' || value.startsWith('..')) return 'must not be "." or start with ".."';
  return undefined;
}
