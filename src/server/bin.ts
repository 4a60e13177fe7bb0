#!/usr/bin/env node
/** The `cemesh` executable: the CLI, with `serve` starting the server in this process. */
import { createProgram } from '../cli/program.js';
import { ConfigError } from './config.js';
import { serve } from './main.js';

createProgram({ serve })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const message =
      error instanceof ConfigError
        ? `cemesh: invalid configuration: ${error.message}`
        : `cemesh: ${error instanceof Error ? error.message : String(error)}`;
    console.error(message);
    process.exit(1);
  });
