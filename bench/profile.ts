/**
 * Summarises V8 CPU profiles (`npm run bench -- --cpu-prof` writes them to bench/profiles/):
 * `node --import tsx bench/profile.ts FILE.cpuprofile [--top N] [--inclusive PATTERN]`.
 * Prints self time per function and per file, and optionally the inclusive time of functions whose
 * name or file matches a pattern: enough to find a hot spot without opening a profiler UI.
 * `--after MS` leaves out the samples of the first MS milliseconds (a server's start-up: S4s logs when its
 * windows began in the server's own clock, which the profile's starts with within a few ms).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { markdownTable } from './report.js';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string' },
    inclusive: { type: 'string', multiple: true },
    after: { type: 'string' },
  },
});
const top = Number(values.top ?? 40);
const afterUs = Number(values.after ?? 0) * 1000;

for (const file of positionals) {
  const profile = dropBefore(JSON.parse(readFileSync(file, 'utf8')) as Profile, afterUs);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const shortUrl = (url: string): string =>
    url.replace(/^file:\/\/.*?\/(node_modules|src|bench|test)\//, '$1/').replace(/^node:/, 'node:');
  const label = (n: ProfileNode): string =>
    `${n.callFrame.functionName || '(anonymous)'} ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

  const bySelf = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    bySelf.set(label(node), (bySelf.get(label(node)) ?? 0) + us);
    const key = shortUrl(node.callFrame.url) || node.callFrame.functionName;
    byFile.set(key, (byFile.get(key) ?? 0) + us);
  }
  const pct = (us: number): string => `${((100 * us) / total).toFixed(1)}%`;
  const rows = (m: Map<string, number>): string[][] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => [pct(us), (us / 1000).toFixed(0), k]);
  console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled\n`);
  console.log(`${markdownTable(['self', 'ms', 'function'], rows(bySelf))}\n`);
  console.log(`${markdownTable(['self', 'ms', 'file'], rows(byFile))}\n`);

  for (const pattern of values.inclusive ?? []) {
    // Inclusive time: each sample counts once for every distinct matching frame on its stack.
    const inclusive = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const seen = new Set<string>();
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const name = label(byId.get(at)!);
        if (name.includes(pattern)) seen.add(name);
      }
      for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    console.log(`${markdownTable(['inclusive', 'ms', `matching ${pattern}`], rows(inclusive))}\n`);
  }
}

/** The profile without the samples taken in its first `us` microseconds. */
function dropBefore(profile: Profile, us: number): Profile {
  if (us <= 0) return profile;
  let at = 0;
  const keep = profile.timeDeltas.map((delta) => (at += delta) >= us);
  return {
    ...profile,
    samples: profile.samples.filter((_, i) => keep[i]),
    timeDeltas: profile.timeDeltas.filter((_, i) => keep[i]),
  };
}
