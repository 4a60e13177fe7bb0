/**
 * Where the conformance data lives (CloudEvents spec and conformance cases, the CESQL TCK, sdk fixtures, the
 * Knative filter matrix). It is not part of the repository: a clone finds it in `../shared/conformance` beside
 * the repository, or wherever `CEMESH_CONFORMANCE_DIR` points. Without it the suites that read it skip, saying
 * why, so `npm test` passes in a plain clone; `.ci/run` sets `CEMESH_REQUIRE_CONFORMANCE=1`, which turns a
 * missing directory into a failure there.
 */
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const conformanceRoot = process.env.CEMESH_CONFORMANCE_DIR
  ? resolve(process.env.CEMESH_CONFORMANCE_DIR)
  : resolve(repository, '../shared/conformance');

/**
 * The absolute path of `relative` inside the conformance data, or undefined when it is absent; then one
 * skipped test named after the suite says so (or, when the data is required, one failing test).
 */
export function conformancePath(suite: string, relative: string): string | undefined {
  const path = join(conformanceRoot, relative);
  if (existsSync(path)) return path;
  const reason =
    `conformance data not found: ${path} (put the conformance data in ../shared/conformance beside the ` +
    `repository or point CEMESH_CONFORMANCE_DIR at it)`;
  if (process.env.CEMESH_REQUIRE_CONFORMANCE === '1') {
    test(`${suite}: conformance data is required (CEMESH_REQUIRE_CONFORMANCE=1)`, () => {
      throw new Error(reason);
    });
  } else {
    test(`${suite}: skipped`, { skip: reason }, () => {});
  }
  return undefined;
}
