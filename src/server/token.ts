import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The admin token (ARCHITECTURE 2.4): written to `<data-dir>/admin.token` with mode 0600 on first start and
 * read back on later starts, so the CLI on the same machine finds it; `--admin-token` (CEMESH_ADMIN_TOKEN)
 * sets it instead.
 */
export async function ensureAdminToken(dataDir: string, given?: string): Promise<string> {
  const file = join(dataDir, 'admin.token');
  // A configured token (replicas of one mesh share it) is written too, so the local CLI finds it.
  if (given !== undefined) {
    await writeFile(file, `${given}\n`, { mode: 0o600 });
    await chmod(file, 0o600);
    return given;
  }
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    // A token file left readable by others (copied in, an older version) is tightened, not trusted as is.
    await chmod(file, 0o600);
    if (existing !== '') return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600, flag: 'w' });
  return token;
}
