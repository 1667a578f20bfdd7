/**
 * Keeps secrets out of the ledger and the logs: every value registered here (an API key read
 * from the environment, a token an MCP server was started with) is replaced in an event's
 * payload before the event is hashed and written, wherever in the payload it appears, and in
 * log text. So are its common encodings, because a server that logs a token usually logs it
 * as it sends it: base64 (an HTTP Basic header), base64url (a JWT's parts), URL-encoded (a
 * query string) and hex.
 */
export class Redactor {
  /** Each form of each secret, with the name it is replaced by; longest first, so a form never leaves a shorter one's remains. */
  private forms: [string, string][] = [];
  private readonly secrets = new Map<string, string>();

  /** Registers a secret under a name that says where it came from (e.g. the variable's). Short values are refused: redacting them would mangle ordinary text. */
  add(name: string, value: string | undefined): void {
    if (value === undefined || value.length < MIN_SECRET || this.secrets.has(value)) return;
    this.secrets.set(value, name);
    const byForm = new Map(this.forms);
    for (const form of encodedForms(value)) if (!byForm.has(form)) byForm.set(form, name);
    byForm.set(value, name);
    this.forms = [...byForm].sort((a, b) => b[0].length - a[0].length);
  }

  /** Whether any secret is registered. */
  get active(): boolean {
    return this.secrets.size > 0;
  }

  /** Plain text (a log line) with every secret, plain or encoded, replaced by `[redacted:NAME]`. */
  scrubText(text: string): string {
    let out = text;
    for (const [form, name] of this.forms) if (out.includes(form)) out = out.split(form).join(`[redacted:${name}]`);
    return out;
  }

  /**
   * The canonical JSON of a payload with every secret replaced by `[redacted:NAME]`, as it
   * appears inside JSON strings (escaped as JSON would escape it). Null when nothing changed.
   */
  scrub(canonicalPayload: string): string | null {
    let text = canonicalPayload;
    for (const [form, name] of this.forms) {
      const escaped = JSON.stringify(form).slice(1, -1);
      if (text.includes(escaped)) text = text.split(escaped).join(`[redacted:${name}]`);
    }
    return text === canonicalPayload ? null : text;
  }
}

/** Shorter values are not redacted: they would match ordinary words. */
const MIN_SECRET = 8;

/**
 * The encodings of a secret a careless server or tool writes. Base64 depends on where the
 * secret starts inside what was encoded (`user:token` in a Basic header), so each of the three
 * alignments gives its own run of characters: the ones that depend on the secret alone.
 */
function encodedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = encoded.slice(Math.ceil((4 * offset) / 3), Math.floor((4 * (offset + bytes.length)) / 3));
    forms.push(core, core.replaceAll('+', '-').replaceAll('/', '_'));
  }
  const url = encodeURIComponent(value);
  forms.push(
    url,
    url.replace(/%[0-9A-F]{2}/g, (escape) => escape.toLowerCase()),
  );
  const hex = bytes.toString('hex');
  forms.push(hex, hex.toUpperCase());
  // Forms equal to the value add nothing; short ones would match ordinary text.
  return forms.filter((form) => form !== value && form.length >= MIN_SECRET);
}
