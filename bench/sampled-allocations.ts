/**
 * V8's sampling heap profiler around some work in this process, with objects that die young included, and the
 * samples summed by allocating function and by file, per unit of work (an event, a trigger). A native function
 * (Object.keys, an iterator's next) is named with the function that called it. Used by alloc-sites.ts and
 * apply-alloc.ts.
 */
import { Session } from 'node:inspector/promises';

interface SampleNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SampleNode[];
}

export interface Allocations {
  readonly total: number;
  readonly bySite: ReadonlyMap<string, number>;
  readonly byFile: ReadonlyMap<string, number>;
}

/** Runs `work` with the sampling heap profiler on and sums what it sampled. */
export async function sampleAllocations(work: () => Promise<void>): Promise<Allocations> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  await work();
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as { profile: { head: SampleNode } };
  session.disconnect();
  const bySite = new Map<string, number>();
  const byFile = new Map<string, number>();
  let total = 0;
  const visit = (node: SampleNode, caller: string): void => {
    const { url } = node.callFrame;
    const file = fileOf(url);
    const site = url === '' ? `${siteOf(node)} < ${caller}` : siteOf(node);
    total += node.selfSize;
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    byFile.set(file, (byFile.get(file) ?? 0) + node.selfSize);
    for (const child of node.children) visit(child, siteOf(node));
  };
  visit(profile.head, '');
  return { total, bySite, byFile };
}

/** Prints the `top` sites and files, in bytes per unit and share of all. */
export function printAllocations(allocations: Allocations, units: number, top: number): void {
  const { total, bySite, byFile } = allocations;
  const perUnit = (bytes: number): string => `${(bytes / units).toFixed(0).padStart(6)} B`;
  for (const [name, rows] of [
    ['function', bySite],
    ['file', byFile],
  ] as const) {
    console.log(`\nby ${name}:`);
    for (const [key, bytes] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${perUnit(bytes)}  ${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
}

function fileOf(url: string): string {
  return url.replace(/^.*\/(src|bench|node_modules)\//, '$1/') || '(native)';
}

function siteOf(node: SampleNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  return `${functionName || '(anonymous)'} ${fileOf(url)}:${lineNumber + 1}`;
}
