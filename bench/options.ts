/** `npm run bench -- [options]`: parsed once, validated, frozen. */
import { parseArgs } from 'node:util';
import type { BenchOptions } from './kit.js';
import type { BackendName } from './mesh.js';

export const USAGE = `npm run bench -- [options]

  --scenario LIST   scenarios to run, comma-separated (S0,S0r,S1,S1t,S1m,S2r,S2,S3,S4,S4s,S5,S6,SF,SA,SC,
                    cesql,store,jetstream);
                    default: all but SC (a 3-node NATS cluster), S4s (S4 split into its causes) and S2r
                    (the relay's latency alone; S2 runs a relay beside each backend), run only when named.
                    Each ratio is measured beside its own baseline, so none needs another.
  --duration SEC    every measured window, in seconds (default: 5 per paired window; S2 20 in all, in five
                    windows that take turns with a relay's; S3 and S5 send fixed counts)
  --backend LIST    backends for every scenario: memory,embedded,jetstream. Default: S1 and S2 on each
                    available one (jetstream needs nats-server on the PATH), S5 on each of them, S6 on memory and
                    embedded, SA on memory and embedded, S1m on embedded and jetstream, S3 and S4 on memory
  --concurrency N   requests in flight for open-throttle loads (default 64)
  --cpu-prof        write a V8 CPU profile of every cemesh server (and relay) to bench/profiles/
  --trace-gc        run every cemesh server with --trace-gc: its trace goes to bench/profiles/gc-PID.log and
                    a summary of its pauses (scavenges and full collections) to stderr when it stops
  --tsx             run cemesh from source through tsx instead of building dist/ first
  --json            print the results as JSON instead of the table
  -h, --help        this text

Writes bench/results.json. Progress goes to stderr. BENCH_SERVER_NODE_FLAGS in the environment adds Node or V8
flags to every cemesh server (for probes: --trace-gc-nvp, --max-semi-space-size=32).`;

const BACKENDS: readonly BackendName[] = ['memory', 'embedded', 'jetstream'];

export function parseBenchOptions(argv: readonly string[], profileDir: string): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      scenario: { type: 'string', multiple: true },
      duration: { type: 'string' },
      backend: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      'cpu-prof': { type: 'boolean' },
      'trace-gc': { type: 'boolean' },
      tsx: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const list = (raw: string[] | undefined): string[] | undefined =>
    raw
      ?.flatMap((v) => v.split(','))
      .map((v) => v.trim())
      .filter((v) => v !== '');
  const scenarios = list(values.scenario)?.map(canonicalScenario);
  const backends = list(values.backend)?.map((b) => {
    if (!BACKENDS.includes(b as BackendName)) throw new Error(`--backend: unknown backend "${b}"`);
    return b as BackendName;
  });
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  if (durationS !== undefined && !(durationS > 0))
    throw new Error('--duration: must be a positive number of seconds');
  const concurrency = values.concurrency === undefined ? 64 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('--concurrency: must be a positive integer');
  return Object.freeze({
    scenarios,
    durationS,
    backends,
    json: values.json === true,
    concurrency,
    cpuProfDir: values['cpu-prof'] ? profileDir : undefined,
    gcTraceDir: values['trace-gc'] ? profileDir : undefined,
    tsx: values.tsx === true,
  });
}

const SCENARIOS = [
  'S0',
  'S0r',
  'S1',
  'S1t',
  'S1m',
  'S2r',
  'S2',
  'S3',
  'S4',
  'S4s',
  'S5',
  'S6',
  'SF',
  'SA',
  'SC',
  'cesql',
  'store',
  'jetstream',
];

function canonicalScenario(name: string): string {
  const found = SCENARIOS.find((s) => s.toLowerCase() === name.toLowerCase());
  if (!found) throw new Error(`--scenario: unknown scenario "${name}" (known: ${SCENARIOS.join(', ')})`);
  return found;
}
