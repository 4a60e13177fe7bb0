/**
 * The part of kubectl's JSONPath that printer columns use (kubernetes.io/docs/reference/kubectl/jsonpath):
 * child fields `.a.b`, quoted keys `['eventing.cemesh.dev/persistence']`, list indexes `[0]` and equality
 * filters `[?(@.type=="Ready")]`. Compiled once per column; reading returns the first value found, or
 * undefined. Pure.
 */

type Step = (value: unknown) => unknown;

const TOKEN = /\.([A-Za-z_][\w-]*)|\['([^']*)'\]|\[(\d+)\]|\[\?\(@\.([A-Za-z_][\w-]*)\s*==\s*"([^"]*)"\)\]/y;

/** Compiles a path; throws naming the place it cannot read. */
export function compileJsonPath(path: string): (object: unknown) => unknown {
  const steps: Step[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < path.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(path);
    if (match === null) throw new Error(`JSONPath ${path}: cannot read from position ${at}`);
    const [, field, quoted, index, filterField, filterValue] = match;
    if (field !== undefined || quoted !== undefined) steps.push(member(field ?? quoted ?? ''));
    else if (index !== undefined)
      steps.push((v) => (Array.isArray(v) ? (v[Number(index)] as unknown) : undefined));
    else steps.push(filter(filterField ?? '', filterValue ?? ''));
  }
  return (object) =>
    steps.reduce<unknown>((value, step) => (value === undefined ? undefined : step(value)), object);
}

function member(name: string): Step {
  return (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)[name]
      : undefined;
}

function filter(field: string, wanted: string): Step {
  const read = member(field);
  return (value) => (Array.isArray(value) ? value.find((entry) => read(entry) === wanted) : undefined);
}
