/** The scheme the desktop window loads the console from, instead of file://. */
export const RENDERER_SCHEME = 'warden';
/** The one host of that scheme: the built renderer's folder. */
export const RENDERER_HOST = 'app';
/** The page the window opens. */
export const RENDERER_INDEX_URL = `${RENDERER_SCHEME}://${RENDERER_HOST}/index.html`;

/** Whether `url` is a page of the built renderer, served by our protocol. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  // A non-special scheme's URL has an opaque origin in WHATWG terms: compare its parts instead.
  return parsed !== null && parsed.protocol === `${RENDERER_SCHEME}:` && parsed.host === RENDERER_HOST;
}

/**
 * electron-vite's dev server, as `electron-vite dev` announces it, if that is a loopback http
 * URL. Only a development build asks (see index.ts): a production build has no call to this.
 */
export function devServerUrl(env: NodeJS.ProcessEnv): string | null {
  const parsed = parse(env.ELECTRON_RENDERER_URL ?? '');
  if (!parsed || parsed.protocol !== 'http:') return null;
  return ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) ? parsed.href : null;
}

/** Where the window loads the console from: the dev server if there is one, else our protocol. */
export function rendererUrl(devServer: string | null): string {
  return devServer ?? RENDERER_INDEX_URL;
}

/** Whether a frame at `url` is our renderer, and so may call the console API. */
export function isRendererUrl(url: string, devServer: string | null): boolean {
  if (isAppUrl(url)) return true;
  const parsed = parse(url);
  return devServer !== null && parsed !== null && parsed.origin === new URL(devServer).origin;
}

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
