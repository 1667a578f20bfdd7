import { describe, expect, it } from 'vitest';
import {
  CONSOLE_PERMISSIONS,
  denyUnusedPermissions,
  permissionAllowed,
  type PermissionSession,
} from '../../../src/main/electron/permissions.js';

// Every permission Electron 40's session handlers name (request and check).
const PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'unknown',
  'fileSystem',
  'hid',
  'serial',
  'usb',
  'deprecated-sync-clipboard-read',
];

type Handlers = {
  request?: Parameters<PermissionSession['setPermissionRequestHandler']>[0];
  check?: Parameters<PermissionSession['setPermissionCheckHandler']>[0];
  device?: Parameters<PermissionSession['setDevicePermissionHandler']>[0];
};

function installed(): Handlers {
  const handlers: Handlers = {};
  denyUnusedPermissions({
    setPermissionRequestHandler: (h) => void (handlers.request = h),
    setPermissionCheckHandler: (h) => void (handlers.check = h),
    setDevicePermissionHandler: (h) => void (handlers.device = h),
  });
  return handlers;
}

describe('permissions', () => {
  it('the console uses none', () => {
    expect([...CONSOLE_PERMISSIONS]).toEqual([]);
  });

  it.each(PERMISSIONS)('denies a request for %s, even from the console', (permission) => {
    const { request } = installed();
    const answers: boolean[] = [];
    request!({} as never, permission as never, (granted) => answers.push(granted), {
      requestingUrl: 'warden://app/index.html',
    } as never);
    expect(answers).toEqual([false]);
  });

  it.each(PERMISSIONS)('answers a check for %s with no', (permission) => {
    const { check } = installed();
    expect(check!(null, permission as never, 'warden://app', {} as never)).toBe(false);
  });

  it('denies every device', () => {
    expect(installed().device!({} as never)).toBe(false);
  });

  it('would grant one the console used only to its own pages', () => {
    const used = new Set(['clipboard-sanitized-write']);
    expect(permissionAllowed('clipboard-sanitized-write', 'warden://app/index.html', used)).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', used)).toBe(false);
    expect(permissionAllowed('clipboard-sanitized-write', undefined, used)).toBe(false);
    expect(permissionAllowed('media', 'warden://app/index.html', used)).toBe(false);
  });
});
