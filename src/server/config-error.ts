/** A setting that cannot be used: `cemesh serve` prints its message and exits 1. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
