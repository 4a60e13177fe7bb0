/**
 * Keeps WebAssembly on V8's baseline compiler (Liftoff) for the life of the server process.
 *
 * The only WebAssembly a server runs is undici's HTTP response parser (llhttp), which reads every
 * subscriber's answer. V8 recompiles it with its optimizing compiler once it is hot: for this one large
 * function that compile takes 0.2 s of a core and 30-36 MB of native memory, held until it ends. It happens
 * at the first burst of deliveries, which after an outage is also when the most events are held: with a
 * 100,000-event backlog, RSS went 266 -> 304 MB for 0.2 s and back. Measured, the optimized parser does not
 * make a delivery cheaper (50-60 us of client CPU per 1 KiB request either way; BENCHMARKS.md), so the
 * recompile only costs.
 *
 * V8 reads this flag when it compiles a module, and undici compiles its parser at its first connection:
 * call this before the first outbound request.
 */
import v8 from 'node:v8';

export function wasmBaselineOnly(): void {
  v8.setFlagsFromString('--liftoff-only');
}
