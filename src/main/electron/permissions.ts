import type { Session } from 'electron';
import { isAppUrl } from './renderer-url.js';

/**
 * Permissions the console uses: none (no camera, notifications, clipboard, geolocation, devices,
 * fullscreen). A feature that needs one adds it here, and only our own pages get it.
 */
export const CONSOLE_PERMISSIONS: ReadonlySet<string> = new Set<string>();

/** Whether a page at `requestingUrl` may have `permission`. */
export function permissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  allowed: ReadonlySet<string> = CONSOLE_PERMISSIONS,
): boolean {
  return allowed.has(permission) && requestingUrl !== undefined && isAppUrl(requestingUrl);
}

/** The parts of a session that decide permissions. */
export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/**
 * Installs the session's permission handlers. Without them Electron grants every request
 * (Chromium's default prompt is not shown in Electron), so a page that got script in would
 * have the camera, the clipboard and USB devices.
 */
export function denyUnusedPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );
  session.setDevicePermissionHandler(() => false);
}
