import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const modulePath = fileURLToPath(new URL('./wasm-baseline.ts', import.meta.url));

/** Runs a hot WebAssembly function in a fresh process and says whether V8 still runs its baseline code. */
function staysOnBaseline(applyFirst: boolean): boolean {
  // (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  const script = `
    const { wasmBaselineOnly } = await import(${JSON.stringify(modulePath)});
    if (${applyFirst}) wasmBaselineOnly();
    const bytes = new Uint8Array([0,97,115,109,1,0,0,0,1,7,1,96,2,127,127,1,127,3,2,1,0,7,7,1,3,97,100,100,0,0,10,9,1,7,0,32,0,32,1,106,11]);
    const add = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.add;
    // Keep it hot until V8 has swapped in optimized code (a background compile), or 3 s have passed.
    const deadline = Date.now() + 3000;
    let sum = add(0, 1);
    while (%IsLiftoffFunction(add) && Date.now() < deadline) {
      for (let i = 0; i < 1e5; i++) sum = add(sum, 1) | 0;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    console.log(%IsLiftoffFunction(add));
  `;
  const output = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', '--import', 'tsx', '--input-type=module', '-e', script],
    { encoding: 'utf8' },
  );
  return output.trim() === 'true';
}

test('a hot WebAssembly function is recompiled by default, and stays on the baseline compiler after wasmBaselineOnly', () => {
  assert.equal(staysOnBaseline(false), false, 'without the flag V8 tiers up (the control)');
  assert.equal(staysOnBaseline(true), true);
});
