import type { JsonValue } from '../../shared/json.js';

/**
 * Spots text that tries to give the agent instructions: the phrases prompt injections use to
 * take over ("ignore previous instructions", "you are now", "do not tell"), in a tool's result
 * or in its definition. A heuristic, deliberately simple and visible: it flags, and the
 * gateway then asks a human (a result) or refuses the tool until an owner accepts it (a
 * definition), rather than silently dropping content.
 */
const PATTERNS: [RegExp, string][] = [
  [
    /\bignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|prompts?|rules)\b/i,
    'tells the agent to ignore its instructions',
  ],
  [
    /\bdisregard (all |any )?(the )?(previous|prior|above|earlier|your) (instructions|prompts?|rules)\b/i,
    'tells the agent to disregard its instructions',
  ],
  [/\byou are now (authori[sz]ed|allowed|permitted|an?|in)\b/i, 'tries to give the agent a new role or authority'],
  [/\b(new|updated) (system )?(instructions|prompt)\s*:/i, 'carries new instructions'],
  [
    /\bdo not (ask|tell|inform|notify) (anyone|a human|the user|your (manager|supervisor))\b/i,
    'tells the agent to hide from humans',
  ],
];

/** What an injection check found: the phrase and why it was flagged, or null. */
export function findInjection(text: string): { match: string; why: string } | null {
  // Words split over lines or padded with spaces are the same words to a model.
  const flat = text.replace(/\s+/g, ' ');
  for (const [pattern, why] of PATTERNS) {
    const found = pattern.exec(flat);
    if (found) return { match: found[0], why };
  }
  return null;
}

/** A tool's definition as its server lists it: what the model is shown. */
export interface ToolDefinitionText {
  name: string;
  description: string;
  inputSchema: JsonValue;
  outputSchema?: JsonValue;
}

/** An injection found in a tool's definition, and where: `description` or a schema path. */
export interface DefinitionFinding {
  field: string;
  match: string;
  why: string;
}

/**
 * Checks a tool's definition with the rules tool results are held to: its description and
 * every string and key in its schemas (parameter descriptions, titles, enums, defaults),
 * since the model reads all of them. Returns the first finding, or null.
 */
export function findInjectionInTool(tool: ToolDefinitionText): DefinitionFinding | null {
  const places: [string, JsonValue | undefined][] = [
    ['description', tool.description],
    ['inputSchema', tool.inputSchema],
    ['outputSchema', tool.outputSchema],
  ];
  for (const [field, value] of places) {
    const found = value === undefined ? null : findIn(value, field);
    if (found) return found;
  }
  return null;
}

function findIn(value: JsonValue, path: string): DefinitionFinding | null {
  if (typeof value === 'string') {
    const found = findInjection(value);
    return found ? { field: path, ...found } : null;
  }
  if (value === null || typeof value !== 'object') return null;
  const entries: [string, JsonValue][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  for (const [key, item] of entries) {
    const inKey = Array.isArray(value) ? null : findInjection(key);
    if (inKey) return { field: `${path}.${key}`, ...inKey };
    const found = findIn(item, `${path}.${key}`);
    if (found) return found;
  }
  return null;
}
