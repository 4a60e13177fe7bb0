import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../core/logger.js';
import { ConfigError } from './config-error.js';

/**
 * The shortest admin token accepted (docs/security.md): 32 characters. A generated one is 32 random bytes in
 * base64url (43 characters); a chosen one shorter than 32 characters is too easy to guess online.
 */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * The admin token (ARCHITECTURE 2.4): written to `<data-dir>/admin.token` with mode 0600 on first start and
 * read back on later starts, so the CLI on the same machine finds it; `--admin-token` (CEMESH_ADMIN_TOKEN)
 * sets it instead. An existing file that others may read is made 0600 with a warning, as ssh does with keys.
 */
export async function ensureAdminToken(
  dataDir: string,
  given: string | undefined,
  logger: Logger,
): Promise<string> {
  const file = join(dataDir, 'admin.token');
  // A configured token (replicas of one mesh share it) is written too, so the local CLI finds it.
  if (given !== undefined) {
    checkLength(given, '--admin-token');
    await writeFile(file, `${given}\n`, { mode: 0o600 });
    await restrict(file, logger);
    return given;
  }
  let existing: string | undefined;
  try {
    existing = (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing !== undefined && existing !== '') {
    checkLength(existing, file);
    await restrict(file, logger);
    return existing;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'w' });
  return token;
}

function checkLength(token: string, where: string): void {
  if (token.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new ConfigError(
      `${where}: the admin token has ${token.length} characters, at least ${MIN_ADMIN_TOKEN_LENGTH} are needed` +
        ' (delete admin.token and restart to have one generated)',
    );
  }
}

/** writeFile's mode applies only to a file it creates: one that existed keeps its own. */
async function restrict(file: string, logger: Logger): Promise<void> {
  const mode = (await stat(file)).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  await chmod(file, 0o600);
  logger.warn(
    { file, mode: `0${mode.toString(8)}` },
    'the admin token file was readable by others: its mode is now 0600',
  );
}
