/**
 * Kubernetes' LabelSelector (metav1.LabelSelector), as an EventPolicy's `spec.to[].selector` holds it:
 * `matchLabels` and `matchExpressions` (In, NotIn, Exists, DoesNotExist), all of which must hold.
 */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  readonly values: readonly string[];
}

export interface LabelSelectorSpec {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly LabelRequirement[];
}

export const LABEL_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

export function selectorMatches(
  selector: LabelSelectorSpec,
  labels: Readonly<Record<string, string>> = {},
): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) return false;
  }
  return selector.matchExpressions.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    switch (r.operator) {
      case 'In':
        return has && r.values.includes(labels[r.key] ?? '');
      // Kubernetes: NotIn also selects objects without the label.
      case 'NotIn':
        return !has || !r.values.includes(labels[r.key] ?? '');
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}
