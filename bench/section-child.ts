/** Runs one section's exported function (see sections.ts) and sends its result to the parent. */
const exports: Record<string, string> = {
  cesql: 'runCesqlBench',
  store: 'runStoreBench',
  jetstream: 'runJetStreamBench',
};

async function run(id: string): Promise<unknown> {
  const name = exports[id];
  if (name === undefined) throw new Error(`unknown section ${id}`);
  const module = (await import(`./${id}.js`)) as Record<string, unknown>;
  const fn = module[name];
  if (typeof fn !== 'function') throw new Error(`bench/${id}.ts does not export ${name}()`);
  return (await (fn as () => Promise<unknown>)()) ?? null;
}

run(process.argv[2] ?? '').then(
  (result) => process.send?.({ result }),
  (error: unknown) => process.send?.({ error: error instanceof Error ? error.message : String(error) }),
);
