import { z } from 'zod';
import { ErrorDataSchema } from './errors.js';
import { id } from './event-fields.js';

/**
 * What the console shows of model providers, their keys and the secrets mcp.json passes to
 * servers (never a key or a secret's value), and the text models stream for runs. Part of the
 * console API (api.ts).
 */

/**
 * A model provider of warden.yaml as the console shows it: where it is, who uses it, and
 * whether its key is set (never the key). `key` says where the key comes from: the
 * environment (which wins), the desktop app's store, nowhere yet, or not needed (a local server).
 */
export const ProviderViewSchema = z.strictObject({
  name: z.string(),
  kind: z.enum(['anthropic', 'openai', 'openai-compatible']),
  baseUrl: z.string().nullable(),
  /** The environment variable warden.yaml names for the key, or null when none is needed. */
  variable: z.string().nullable(),
  /** Agents whose model is on this provider. */
  agentIds: z.array(z.string()),
  key: z.enum(['environment', 'stored', 'missing', 'not-needed']),
  /** How the desktop app stores its key, when it does. */
  stored: z.strictObject({ protection: z.enum(['keychain', 'plain-text']), storedAt: z.string() }).nullable(),
});
/** A model provider, as the Providers view lists it. */
export type ProviderView = z.infer<typeof ProviderViewSchema>;

/**
 * A `${VAR}` that mcp.json passes to servers (a token in `env` or `headers`): which servers use
 * it and where its value comes from (never the value). The desktop app can store it like a key.
 */
export const SecretViewSchema = z.strictObject({
  variable: z.string(),
  servers: z.array(z.string()),
  key: z.enum(['environment', 'stored', 'missing']),
  stored: z.strictObject({ protection: z.enum(['keychain', 'plain-text']), storedAt: z.string() }).nullable(),
});
/** A server secret, as the Providers view lists it. */
export type SecretView = z.infer<typeof SecretViewSchema>;

/** What a provider test found: whether it answered, how fast, its tokens and cost, or its error. */
export const ProviderTestViewSchema = z.strictObject({
  provider: z.string(),
  model: z.string(),
  ok: z.boolean(),
  latencyMs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
  error: ErrorDataSchema.nullable(),
});
/** A provider test's outcome. */
export type ProviderTestView = z.infer<typeof ProviderTestViewSchema>;

/** Where keys entered in the console go: the desktop app's store, or nowhere (serve mode reads the environment). */
export const KeyStoreViewSchema = z.strictObject({
  available: z.boolean(),
  /** How a new key would be kept: sealed by the OS keychain, or plain text (only with consent). */
  protection: z.enum(['keychain', 'plain-text']).nullable(),
});

/**
 * Text a model is writing for a run, as it streams in (not in the ledger: the ledger has the
 * model call once it ends). The runtime sends pieces; the console API sends, per run, the
 * whole text of the call so far with secrets redacted, which replaces what was shown.
 */
export const ModelTextPieceSchema = z.strictObject({
  runId: id,
  agentId: id,
  /** Which model call of the run: a new one starts a new text. */
  callId: id,
  text: z.string(),
});
/** Text a model is writing for a run. */
export type ModelTextPiece = z.infer<typeof ModelTextPieceSchema>;

/** The longest API key the console accepts. */
export const API_KEY_MAX_CHARS = 4096;
