/**
 * Spots a tool result that tries to give the agent instructions: the phrases prompt
 * injections use to take over ("ignore previous instructions", "you are now", "do not tell").
 * A heuristic, deliberately simple and visible: it flags, and the gateway then asks a human
 * before the run writes anything, rather than silently dropping content.
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
  for (const [pattern, why] of PATTERNS) {
    const found = pattern.exec(text);
    if (found) return { match: found[0], why };
  }
  return null;
}
