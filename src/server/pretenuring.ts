/**
 * Turns off V8's allocation-site pretenuring for the life of the server process.
 *
 * V8 watches which object literals survive their first garbage collections and, once nearly all of a site's
 * objects do, allocates that site's objects straight in the old generation, where only a full mark-compact
 * frees them. A backlog is exactly that shape: while 100,000 events were accepted with no subscriber up,
 * their records survived, and V8 decided to tenure some sites at random points of the ingest. When a site
 * the deliveries also allocate from was among them, the drain that followed put every delivery's short-lived
 * objects in the old generation: the heap grew 0.8 MB every 30 ms until a mark-compact, and RSS went 270 ->
 * 330-358 MB in 3 of 15 runs (275-283 MB in the others, 274-286 MB in 17 runs without pretenuring;
 * BENCHMARKS.md, "twelfth session").
 * Without it, the backlog's objects are promoted by the scavenger as they survive, which costs a copy each.
 *
 * V8 reads the flag at each garbage collection's pretenuring decision: call this before any load.
 */
import v8 from 'node:v8';

export function noAllocationSitePretenuring(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
