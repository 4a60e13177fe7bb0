/**
 * Printing delivery history records (from the runtime's history: one record per event, with per-trigger
 * outcome and attempts). Records are read defensively: a field the runtime does not send prints empty.
 */
import { formatTable, ageOf } from './table.js';

interface Attempt {
  at?: string;
  attempt?: number;
  target?: string;
  uri?: string;
  status?: number;
  error?: string;
  durationMs?: number;
}

interface TriggerOutcome {
  trigger?: string;
  outcome?: string;
  attempts?: Attempt[];
}

interface EventRecord {
  namespace?: string;
  broker?: string;
  traceId?: string;
  id?: string;
  source?: string;
  type?: string;
  acceptedAt?: string;
  filtered?: boolean;
  triggers?: Record<string, TriggerOutcome>;
}

function asRecord(value: unknown): EventRecord {
  return typeof value === 'object' && value !== null ? (value as EventRecord) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** One row per (event, trigger); `onlyTrigger` keeps one trigger's rows. */
export function deliveriesTable(records: readonly unknown[], now: Date, onlyTrigger?: string): string {
  const rows: string[][] = [];
  for (const value of records) {
    const record = asRecord(value);
    const outcomes = Object.entries(record.triggers ?? {}).filter(
      ([t]) => onlyTrigger === undefined || t === onlyTrigger,
    );
    const base = [ageOf(record.acceptedAt, now), text(record.id), text(record.source), text(record.type)];
    if (outcomes.length === 0)
      rows.push([...base, '', record.filtered === true ? 'no trigger matched' : '', '']);
    for (const [trigger, outcome] of outcomes) {
      const attempts = outcome.attempts ?? [];
      const last = attempts[attempts.length - 1];
      const lastResult =
        last === undefined ? '' : last.status !== undefined ? `HTTP ${last.status}` : text(last.error);
      rows.push([...base, trigger, text(outcome.outcome), String(attempts.length), lastResult]);
    }
  }
  return formatTable(['AGE', 'ID', 'SOURCE', 'TYPE', 'TRIGGER', 'OUTCOME', 'ATTEMPTS', 'LAST'], rows);
}

/** Every attempt of every trigger of the given records, for `cemesh events`. */
export function describeEvents(records: readonly unknown[]): string {
  const lines: string[] = [];
  for (const value of records) {
    const record = asRecord(value);
    lines.push(`Event ${text(record.id)}`);
    lines.push(`  Source:    ${text(record.source)}`);
    lines.push(`  Type:      ${text(record.type)}`);
    lines.push(`  Broker:    ${text(record.namespace)}/${text(record.broker)}`);
    lines.push(`  Accepted:  ${text(record.acceptedAt)}`);
    if (record.traceId !== undefined) lines.push(`  Trace:     ${text(record.traceId)}`);
    const outcomes = Object.entries(record.triggers ?? {});
    if (outcomes.length === 0)
      lines.push('  Triggers:  none matched (the event was stored and goes nowhere)');
    for (const [trigger, outcome] of outcomes) {
      lines.push(`  Trigger ${trigger}: ${text(outcome.outcome)}`);
      for (const attempt of outcome.attempts ?? []) {
        const result = attempt.status !== undefined ? `HTTP ${attempt.status}` : text(attempt.error);
        const took = typeof attempt.durationMs === 'number' ? ` in ${Math.round(attempt.durationMs)}ms` : '';
        lines.push(
          `    #${text(attempt.attempt)} ${text(attempt.at)} ${text(attempt.target)} ${text(attempt.uri)} -> ${result}${took}`,
        );
      }
    }
  }
  return lines.join('\n') + '\n';
}
