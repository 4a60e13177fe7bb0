/**
 * The `yaml` package, loaded at its first use rather than at start. Every `cemesh` command loads the resource
 * kinds (which parse YAML only for a ConfigMap's values) and every command's module, and most runs never read
 * or write YAML through the package (`apply -f` of plain YAML has its own reader): loading its 25 files took
 * about 40 ms of each command's start. The package is CommonJS, so a synchronous require loads it on demand.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;

export function yaml(): Yaml {
  loaded ??= createRequire(import.meta.url)('yaml') as Yaml;
  return loaded;
}
