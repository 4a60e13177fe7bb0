#!/usr/bin/env node
/** The `cemesh` executable: the CLI, with `serve` starting the server in this process. */
import { createProgram } from '../cli/program.js';
import { ConfigError } from './config-error.js';

// The server is loaded only for `serve`, so other commands start fast.
createProgram({ serve: async (options) => (await import('./main.js')).serve(options) })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const message =
      error instanceof ConfigError
        ? `cemesh: invalid configuration: ${error.message}`
        : `cemesh: ${error instanceof Error ? error.message : String(error)}`;
    console.error(message);
    process.exit(1);
  });
