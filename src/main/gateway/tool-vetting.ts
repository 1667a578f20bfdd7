import { WardenError } from '../../shared/errors.js';
import { canonicalJson } from '../../shared/json.js';
import { sha256Hex } from '../ledger/hash.js';
import type { Ledger } from '../ledger/index.js';
import { findInjectionInTool, type ToolDefinitionText } from './injection.js';

/** A flagged tool definition, as `warden mcp tools` and the console show it: the finding, and who accepted it if anyone did. */
export interface ToolFlag {
  server: string;
  tool: string;
  sha256: string;
  field: string;
  match: string;
  why: string;
  /** When it was first flagged (the `mcp.tool.flagged` event). */
  seq: number;
  ts: string;
  accepted: { by: string; reason: string; ts: string } | null;
}

/** SHA-256 of a tool definition's canonical JSON: what an acceptance is bound to. */
export function definitionHash(tool: ToolDefinitionText): string {
  return sha256Hex(
    canonicalJson({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema,
      ...(tool.outputSchema !== undefined ? { outputSchema: tool.outputSchema } : {}),
    }),
  );
}

/**
 * Tool definitions are untrusted input: a server's description of a tool reaches the model.
 * This checks each definition a server lists (when it starts, and again when its list
 * changes) with the injection rules, records a finding once per definition
 * (`mcp.tool.flagged`), and refuses a flagged tool until an owner accepts that exact
 * definition (`mcp.tool.accepted`, bound to its hash). Both live in the ledger, so an
 * acceptance made by the CLI holds for the console's runs at once.
 */
export class ToolVetting {
  constructor(private readonly ledger: Ledger) {}

  /** Checks a server's tools and records each finding the ledger does not hold yet. Never rejects: a finding still refuses the tool, recorded or not. */
  async observe(server: string, tools: readonly ToolDefinitionText[]): Promise<void> {
    for (const tool of tools) {
      const finding = findInjectionInTool(tool);
      if (!finding) continue;
      const sha256 = definitionHash(tool);
      if (this.flagged(server, tool.name, sha256)) continue;
      // Decided inside the write transaction, so two processes starting the server record it once.
      await this.ledger
        .appendIf(() => {
          if (this.flagged(server, tool.name, sha256)) throw new Error('already flagged');
          return { type: 'mcp.tool.flagged', payload: { server, tool: tool.name, sha256, ...finding } };
        })
        .catch(() => undefined);
    }
  }

  /** Why a tool may not be called (its definition reads like instructions, and no owner accepted this one), or null. */
  refusal(server: string, tool: ToolDefinitionText): string | null {
    const finding = findInjectionInTool(tool);
    if (!finding || this.acceptance(server, tool.name, definitionHash(tool))) return null;
    return (
      `${server}.${tool.name}: its ${finding.field} ${finding.why} ("${finding.match}"); ` +
      `refused until an owner accepts it (warden mcp accept ${server}.${tool.name} --reason TEXT)`
    );
  }

  /** The latest flagged definition of each tool, with its acceptance, oldest first. */
  flags(): ToolFlag[] {
    const latest = new Map<string, ToolFlag>();
    for (const event of this.ledger.reader.each({ type: 'mcp.tool.flagged' })) {
      const p = event.payload;
      latest.delete(`${p.server}.${p.tool}`);
      latest.set(`${p.server}.${p.tool}`, { ...p, seq: event.seq, ts: event.ts, accepted: null });
    }
    for (const flag of latest.values()) flag.accepted = this.acceptance(flag.server, flag.tool, flag.sha256);
    return [...latest.values()];
  }

  /**
   * Accepts a tool's flagged definition, naming who and why: the latest one flagged, or the
   * one with `sha256` (what the person looked at), which must still be the latest. Accepting
   * what is already accepted records nothing more (`recorded` false).
   */
  async accept(
    server: string,
    tool: string,
    by: string,
    reason: string,
    sha256?: string,
  ): Promise<{ flag: ToolFlag; recorded: boolean }> {
    const flag = this.flags().find((f) => f.server === server && f.tool === tool);
    if (!flag)
      throw new WardenError(
        'E_USAGE',
        `${server}.${tool} has no flagged definition on record (warden mcp tools lists what a server's tools say)`,
      );
    if (sha256 !== undefined && sha256 !== flag.sha256)
      throw new WardenError(
        'E_USAGE',
        `${server}.${tool}'s definition changed since it was shown (now ${flag.sha256.slice(0, 12)}); look at it again`,
      );
    if (flag.accepted) return { flag, recorded: false };
    if (!reason.trim()) throw new WardenError('E_USAGE', `accepting ${server}.${tool} needs a reason, for the record`);
    const event = await this.ledger.appendIf(() => {
      const already = this.acceptance(server, tool, flag.sha256);
      if (already) throw new WardenError('E_USAGE', `${server}.${tool} was accepted meanwhile by ${already.by}`);
      return { type: 'mcp.tool.accepted', payload: { server, tool, sha256: flag.sha256, by, reason: reason.trim() } };
    });
    return { flag: { ...flag, accepted: { by, reason: reason.trim(), ts: event.ts } }, recorded: true };
  }

  private flagged(server: string, tool: string, sha256: string): boolean {
    for (const event of this.ledger.reader.each({ type: 'mcp.tool.flagged' })) {
      const p = event.payload;
      if (p.server === server && p.tool === tool && p.sha256 === sha256) return true;
    }
    return false;
  }

  private acceptance(server: string, tool: string, sha256: string): ToolFlag['accepted'] {
    for (const event of this.ledger.reader.each({ type: 'mcp.tool.accepted' })) {
      const p = event.payload;
      if (p.server === server && p.tool === tool && p.sha256 === sha256)
        return { by: p.by, reason: p.reason, ts: event.ts };
    }
    return null;
  }
}
