/** Bundles the console into `outdir` (default dist/console). */
export function buildConsole(outdir?: string): Promise<{ script: string; style: string }>;
