/**
 * Keeps secrets out of the ledger: every value registered here (an API key read from the
 * environment, a token an MCP server was started with) is replaced in an event's payload
 * before the event is hashed and written, wherever in the payload it appears.
 */
export class Redactor {
  private readonly secrets = new Map<string, string>();

  /** Registers a secret under a name that says where it came from (e.g. the variable's). Short values are refused: redacting them would mangle ordinary text. */
  add(name: string, value: string | undefined): void {
    if (value === undefined || value.length < 8) return;
    this.secrets.set(value, name);
  }

  /** Whether any secret is registered. */
  get active(): boolean {
    return this.secrets.size > 0;
  }

  /** Plain text (a log line) with every secret replaced by `[redacted:NAME]`. */
  scrubText(text: string): string {
    let out = text;
    for (const [value, name] of this.secrets)
      if (out.includes(value)) out = out.split(value).join(`[redacted:${name}]`);
    return out;
  }

  /**
   * The canonical JSON of a payload with every secret replaced by `[redacted:NAME]`, as it
   * appears inside JSON strings (escaped as JSON would escape it). Null when nothing changed.
   */
  scrub(canonicalPayload: string): string | null {
    let text = canonicalPayload;
    for (const [value, name] of this.secrets) {
      const escaped = JSON.stringify(value).slice(1, -1);
      if (text.includes(escaped)) text = text.split(escaped).join(`[redacted:${name}]`);
    }
    return text === canonicalPayload ? null : text;
  }
}
