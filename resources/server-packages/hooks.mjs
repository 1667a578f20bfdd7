// Module resolution hooks for MCP servers Warden starts with `node` (see register.mjs). Only
// these packages are lent, and only when the server's own folder cannot find them.
const LENT = ['@modelcontextprotocol/sdk', 'zod'];
// Resolving from Warden's package.json finds the packages Warden itself depends on.
const WARDEN = new URL('../../package.json', import.meta.url).href;

const lent = (specifier) => LENT.some((name) => specifier === name || specifier.startsWith(`${name}/`));

/** Node's resolve hook: the server's own resolution first, Warden's copy of a lent package after. */
export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !lent(specifier)) throw error;
    try {
      return await nextResolve(specifier, { ...context, parentURL: WARDEN });
    } catch {
      throw error;
    }
  }
}
