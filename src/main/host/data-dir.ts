import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where Warden keeps its data when nothing says otherwise: the OS's per-user app data folder
 * (the same place Electron's app.getPath('userData') points to). WARDEN_DATA_DIR overrides it.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.WARDEN_DATA_DIR) return env.WARDEN_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Warden');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Warden');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'warden');
}
