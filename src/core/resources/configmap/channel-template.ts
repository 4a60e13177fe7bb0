/**
 * `channel-template-spec`: the channel kind a channel-based broker uses, which is how Knative chooses a
 * broker's storage and so how cemesh chooses its persistence (ARCHITECTURE 2.6). Only kinds cemesh can honour
 * are accepted; any other is refused rather than silently stored in some other backend.
 */
import type { FieldError } from '../../errors.js';
import {
  checkOptionalObject,
  checkRequiredString,
  child,
  describeType,
  fieldError,
  isObject,
  quote,
} from '../fields.js';
import type { PersistenceKind } from '../persistence-kind.js';
import { parseYamlValue } from './yaml.js';

export interface ChannelKind {
  readonly group: string;
  /** undefined: any version of the group is accepted. */
  readonly version: string | undefined;
  readonly kind: string;
  readonly persistence: PersistenceKind;
}

export const channelKinds: readonly ChannelKind[] = [
  { group: 'messaging.knative.dev', version: 'v1', kind: 'InMemoryChannel', persistence: 'memory' },
  // cemesh's own channel kind for its durable local store; Knative has no equivalent.
  { group: 'messaging.cemesh.dev', version: 'v1', kind: 'EmbeddedChannel', persistence: 'embedded' },
  // eventing-natss serves v1alpha1 today; the kind, not its version, says what the user wants.
  {
    group: 'messaging.knative.dev',
    version: undefined,
    kind: 'NatsJetStreamChannel',
    persistence: 'jetstream',
  },
];

function describe(channel: ChannelKind): string {
  return `${channel.group}/${channel.version ?? 'v1alpha1'} ${channel.kind} (${channel.persistence})`;
}

export type ChannelTemplateResult =
  | { readonly persistence: PersistenceKind; readonly errors: readonly [] }
  | { readonly persistence?: undefined; readonly errors: readonly FieldError[] };

/** Parses and validates a `channel-template-spec` value; `path` is where it lives, e.g. `data.channel-template-spec`. */
export function parseChannelTemplate(text: string, path: string): ChannelTemplateResult {
  const parsed = parseYamlValue(text, path);
  if ('error' in parsed) return { errors: [parsed.error] };
  const template = parsed.value;
  if (!isObject(template)) {
    return {
      errors: [
        fieldError(path, `must be a YAML mapping with apiVersion and kind, not ${describeType(template)}`),
      ],
    };
  }
  const errors: FieldError[] = [];
  const apiVersionOk = checkRequiredString(template.apiVersion, child(path, 'apiVersion'), errors);
  const kindOk = checkRequiredString(template.kind, child(path, 'kind'), errors);
  checkOptionalObject(template.spec, child(path, 'spec'), errors);
  if (!apiVersionOk || !kindOk) return { errors };
  const apiVersion = template.apiVersion as string;
  const kind = template.kind as string;
  const slash = apiVersion.lastIndexOf('/');
  const group = slash === -1 ? '' : apiVersion.slice(0, slash);
  const version = apiVersion.slice(slash + 1);
  const sameKind = channelKinds.find((c) => c.kind === kind);
  if (sameKind === undefined) {
    errors.push(
      fieldError(
        child(path, 'kind'),
        `${quote(`${apiVersion} ${kind}`)} is not supported by cemesh; use one of ${channelKinds.map(describe).join(', ')}`,
      ),
    );
    return { errors };
  }
  if (group !== sameKind.group || (sameKind.version !== undefined && version !== sameKind.version)) {
    const expected =
      sameKind.version === undefined
        ? `${sameKind.group}/<version>`
        : `${sameKind.group}/${sameKind.version}`;
    errors.push(fieldError(child(path, 'apiVersion'), `${kind} is served as ${expected}, not ${apiVersion}`));
    return { errors };
  }
  if (errors.length > 0) return { errors };
  return { persistence: sameKind.persistence, errors: [] };
}
