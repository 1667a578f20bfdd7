import type { Handlers, HostParts } from './methods.js';

/** MCP tools whose definitions were flagged, and an owner's acceptance of one. */
export function toolHandlers({ vetting }: HostParts): Pick<Handlers, 'tools.flagged' | 'tools.accept'> {
  return {
    'tools.flagged': () => vetting.flags(),
    'tools.accept': async ({ server, tool, sha256, reason }, by) =>
      (await vetting.accept(server, tool, by, reason, sha256)).flag,
  };
}
