/**
 * Two full garbage collections once start-up is done. Loading and reconciling thousands of stored objects
 * leaves hundreds of MB of garbage behind, and V8 sets its next full collection from the heap its last one
 * found: when that one fell in the middle of the start-up burst, the server kept the garbage for good (10,000
 * triggers: 409 MB RSS against 229 MB for the same objects, depending only on where start-up's last
 * collection fell; BENCHMARKS.md). The first collection frees the garbage, the second gives the pages it
 * emptied back (committed heap 270 -> 164 MB, RSS 225 MB). The pause is start-up's, before the server says
 * ready: about 0.3 s with 10,000 triggers, a few ms with a few objects.
 */
import v8 from 'node:v8';
import vm from 'node:vm';

export function settleHeap(): void {
  // The collector is reachable from a context made while --expose-gc is set; it is unset again at once, so
  // that no other code of the process finds a `gc` global.
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc') as () => void;
  v8.setFlagsFromString('--no-expose-gc');
  collect();
  collect();
}
