import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const modulePath = fileURLToPath(new URL('./pretenuring.ts', import.meta.url));

/**
 * In a fresh process, keeps every object of one literal alive across scavenges (a backlog's shape), then says
 * whether a new object of that literal is still born in the young generation.
 */
function bornYoungAfterSurvivors(applyFirst: boolean): { young: boolean; round: number } {
  // Each round's objects are kept for ten rounds and every round ends in a scavenge, so nearly all of them
  // survive one; V8 decides from sampled counts, so the control keeps going until it has decided (or 600 rounds).
  const script = `
    const { noAllocationSitePretenuring } = await import(${JSON.stringify(modulePath)});
    if (${applyFirst}) noAllocationSitePretenuring();
    const kept = [];
    const make = (i) => ({ seq: i, attempt: 0, due: 0 });
    let young = true;
    let round = 0;
    for (; round < 600 && young; round++) {
      const batch = [];
      for (let i = 0; i < 20000; i++) batch.push(make(i));
      kept.push(batch);
      if (kept.length > 10) kept.shift();
      gc({ type: 'minor' });
      young = %InYoungGeneration(make(-1));
    }
    console.log(JSON.stringify({ young, round }));
  `;

  const output = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  return JSON.parse(output.trim()) as { young: boolean; round: number };
}

test('a literal whose objects all survive is tenured by default, and stays young after noAllocationSitePretenuring', () => {
  const control = bornYoungAfterSurvivors(false);
  assert.equal(
    control.young,
    false,
    `without the flag V8 pretenures the site (the control): ${JSON.stringify(control)}`,
  );
  const flagged = bornYoungAfterSurvivors(true);
  assert.equal(flagged.young, true, `with the flag: ${JSON.stringify(flagged)}`);
});
