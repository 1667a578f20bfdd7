/**
 * The desktop window's Content-Security-Policy, sent by the warden: protocol with every page.
 * The renderer speaks to the core over IPC only, so unlike the browser console of `warden serve`
 * (whose API is a WebSocket) it needs no ws: source; the two policies are kept apart for that.
 */
export const DESKTOP_CSP_DIRECTIVES: Readonly<Record<string, readonly string[]>> = {
  'default-src': ["'none'"],
  'script-src': ["'self'"],
  // React and the charts set style attributes.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'"],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'base-uri': ["'none'"],
  'form-action': ["'none'"],
  'frame-ancestors': ["'none'"],
};

/** The directives as one header value. */
export function cspHeader(directives: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** The desktop's policy as the header the protocol handler sends. */
export const DESKTOP_CSP = cspHeader(DESKTOP_CSP_DIRECTIVES);
