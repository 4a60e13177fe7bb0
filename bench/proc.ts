/**
 * What the kernel says about a process (Linux /proc): memory, and CPU time. CPU time per event is the
 * figure that survives a shared, noisy machine: other processes slow a run down, but they do not make
 * the mesh spend more of its own CPU on each event.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux this runs on). */
const TICKS_PER_S = 100;

/** VmRSS and VmHWM (the peak) of a process, in MiB; zeros when it cannot be read. */
export function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) / 1024;
    return { rssMb: field('VmRSS'), peakMb: field('VmHWM') };
  } catch {
    return { rssMb: 0, peakMb: 0 };
  }
}

/** User + system CPU seconds a process has used so far (every thread); NaN when it cannot be read. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return NaN;
  }
}

/**
 * User and system CPU seconds of the main thread and of all other threads (V8's GC and compiler workers,
 * libuv's pool): a main-thread CPU profile does not see the second part, nor the kernel's share of the first.
 */
export function threadCpuOf(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const thread = tid === String(pid) ? 'main' : 'other';
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[`${thread} user`] = (out[`${thread} user`] ?? 0) + Number(fields[11]) / TICKS_PER_S;
      out[`${thread} sys`] = (out[`${thread} sys`] ?? 0) + Number(fields[12]) / TICKS_PER_S;
    }
  } catch {
    // The process is gone.
  }
  return out;
}

/**
 * How long the process has run, in ms (10 ms resolution): the clock of V8's --trace-gc lines, so that a
 * measured window can be cut out of a server's GC trace. NaN when it cannot be read.
 */
export function processAgeMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTicks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const uptimeS = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return Math.round((uptimeS - startTicks / TICKS_PER_S) * 1000);
  } catch {
    return NaN;
  }
}
