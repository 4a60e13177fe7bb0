/**
 * Apply YAML: one or more manifests, created or replaced through the API. A YAML syntax error, or a field
 * the API refuses (its 422 names each field path), is shown under the line that holds that field, and the
 * message moves the cursor there.
 */
import { useRef, useState } from 'preact/hooks';
import { applyObject } from './actions.js';
import { ApiError, errorText } from './api.js';
import { useConsole } from './context.js';
import { findKind } from './kinds.js';
import { lineOfField, parseManifests, type LineMessage } from './manifests.js';
import type { Resource } from './types.js';
import { templateKinds, templateOf } from './templates.js';
import { ViewHeader } from './ui.js';

interface FieldMessage extends LineMessage {
  readonly field?: string;
}

export function Editor({
  text,
  title,
  setText,
}: {
  text: string;
  title: string;
  setText: (text: string) => void;
}) {
  const { kinds, namespace, notify } = useConsole();
  const [errors, setErrors] = useState<FieldMessage[]>([]);
  const [done, setDone] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);

  const apply = async () => {
    setBusy(true);
    setDone([]);
    const parsed = parseManifests(text);
    if (parsed.errors.length > 0) {
      setErrors([...parsed.errors]);
      setBusy(false);
      return;
    }
    const found: FieldMessage[] = [];
    const applied: string[] = [];
    for (const manifest of parsed.manifests) {
      const object = manifest.object as Resource;
      const label = `${String(object.kind)}/${String(object.metadata?.name ?? '?')}`;
      try {
        if (typeof object !== 'object' || object === null || Array.isArray(object))
          throw new Error('a manifest must be a mapping');
        applied.push(`${label} ${await applyObject(kinds, object, namespace)}`);
      } catch (error) {
        if (error instanceof ApiError && error.causes.length > 0) {
          for (const cause of error.causes) {
            found.push({
              line: lineOfField(manifest, parsed.lines, cause.field),
              field: cause.field,
              message: `${cause.field}: ${cause.message}`,
            });
          }
        } else found.push({ line: manifest.line, message: `${label}: ${errorText(error)}` });
      }
    }
    setErrors(found);
    setDone(applied);
    setBusy(false);
    if (found.length === 0 && applied.length > 0) notify(`Applied: ${applied.join(', ')}.`);
  };

  const goTo = (line: number) => {
    const textarea = area.current;
    if (textarea === null) return;
    const lines = text.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    textarea.focus();
    textarea.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
  };

  const byLine = new Map<number, FieldMessage[]>();
  for (const e of errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
  return (
    <section aria-labelledby="view-title">
      <ViewHeader title={title}>
        <label>
          Template{' '}
          <select
            onChange={(e) => {
              const pick = findKind(kinds, (e.target as HTMLSelectElement).value);
              if (pick) setText(templateOf(pick, namespace));
              setErrors([]);
            }}
          >
            <option value="">choose…</option>
            {templateKinds(kinds).map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.kind}
              </option>
            ))}
          </select>
        </label>
        <button type="button" class="primary" disabled={busy} onClick={() => void apply()}>
          Apply
        </button>
      </ViewHeader>
      <label for="yaml" class="sr-only">
        YAML manifests
      </label>
      <textarea
        id="yaml"
        ref={area}
        spellcheck={false}
        value={text}
        onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
        aria-invalid={errors.length > 0}
        aria-describedby={errors.length > 0 ? 'yaml-errors' : undefined}
      />
      <p class="muted small">
        Several manifests may be separated by <code>---</code>. A namespaced object without a namespace goes
        into {namespace}. Objects that exist are replaced (with <code>resourceVersion</code>, only if
        unchanged since).
      </p>
      {errors.length > 0 ? (
        <div id="yaml-errors" role="alert">
          <h3>
            {errors.length === 1 ? 'One problem' : `${errors.length} problems`}: nothing with an error was
            applied
          </h3>
          <ol class="annotated">
            {text.split('\n').map((line, i) => {
              const here = byLine.get(i + 1);
              return (
                <li key={i} value={i + 1} class={here ? 'has-error' : undefined}>
                  <code>{line || ' '}</code>
                  {here?.map((e, j) => (
                    <button
                      type="button"
                      key={j}
                      class="field-error"
                      data-line={e.line}
                      data-field={e.field}
                      onClick={() => goTo(e.line)}
                    >
                      {e.message}
                    </button>
                  ))}
                </li>
              );
            })}
          </ol>
        </div>
      ) : null}
      {done.length > 0 ? (
        <ul id="applied" role="status">
          {done.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
