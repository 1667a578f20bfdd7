import type { z } from 'zod';
import { API, type Method } from '../../../shared/api.js';
import { WardenError } from '../../../shared/errors.js';
import type { SignOptions } from '../../audit/checkpoints.js';
import type { ToolVetting } from '../../gateway/tool-vetting.js';
import type { Insights } from '../insights.js';
import type { ProviderKeys } from '../providers.js';
import type { Warden } from '../warden.js';

/** A method's params as its handler gets them: parsed by the method's schema, defaults filled in. */
export type HandlerParams<M extends Method> = z.output<(typeof API)[M]['params']>;
/** What a method's handler gives back: a value the method's result schema accepts. */
export type HandlerResult<M extends Method> = z.input<(typeof API)[M]['result']>;

/**
 * One handler per method, typed by the method's schemas: tsc holds every handler's result to
 * its result schema, and a method with no handler does not compile. `by` names the caller.
 */
export type Handlers = {
  [M in Method]: (params: HandlerParams<M>, by: string) => HandlerResult<M> | Promise<HandlerResult<M>>;
};

/** What the handlers share: the Warden, and the host's parts built over it once. */
export interface HostParts {
  warden: Warden;
  insights: Insights;
  providerKeys: ProviderKeys;
  vetting: ToolVetting;
  /** How checkpoints are signed here (the desktop app's key seal, if any). */
  sign: SignOptions;
}

// The same table seen by its params only, as a mapped type: indexing it with a generic method
// gives that method's parsed params, which the handler of that method takes.
const PARAMS: { readonly [M in Method]: { readonly params: z.ZodType<HandlerParams<M>> } } = API;

/** Whether a name is a method of the console API. */
export function isMethod(name: string): name is Method {
  return Object.hasOwn(API, name);
}

/** A method's params, parsed by its schema; bad params are a usage error naming the field. */
export function parseParams<M extends Method>(method: M, params: unknown): HandlerParams<M> {
  const parsed = PARAMS[method].params.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new WardenError('E_USAGE', `${method}: ${issue.path.join('.') || 'params'}: ${issue.message}`);
}

/** Parses a method's params and runs its handler. */
export async function callMethod<M extends Method>(
  handlers: Handlers,
  method: M,
  params: unknown,
  by: string,
): Promise<HandlerResult<M>> {
  return handlers[method](parseParams(method, params), by);
}
