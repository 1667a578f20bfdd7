/**
 * The code that runs in every isolate before the agent's program. It builds the `warden`
 * object on three host references ($0: async host call, $1: log, $2: where the result is
 * delivered) and the output limits ($3, JSON), removes what the memory cap cannot count, and
 * returns the function that calls the program's default export.
 *
 * Everything that leaves the isolate is first copied by {@link PRELUDE}'s own walk into fresh
 * objects no program code can reach, measured as it goes and refused past its limit before
 * anything is flattened or copied out; only that copy crosses. Intrinsics are captured before
 * any program code runs and the option objects handed to isolated-vm have no prototype, so a
 * program that patches Reflect, JSON, Object, Array or Object.prototype cannot change what
 * crosses or how.
 *
 * Removed or fenced, since isolated-vm's memoryLimit does not count their memory (measured:
 * a 1 GB WebAssembly.Memory under a 32 MB cap; a 1 GiB resizable ArrayBuffer under 64 MB):
 * WebAssembly, resizable ArrayBuffers and growable SharedArrayBuffers.
 */
export const PRELUDE = String.raw`
const hostCall = $0;
const hostLog = $1;
const deliver = $2;
const LIMITS = JSON.parse($3);
const { stringify, parse } = JSON;
const { freeze, getPrototypeOf, setPrototypeOf, getOwnPropertyDescriptor, defineProperty } = Object;
const { ownKeys, apply, construct } = Reflect;
const { isArray } = Array;
const { isFinite } = Number;
const ObjectProto = Object.prototype;
const SetCtor = Set, WeakSetCtor = WeakSet, NativeProxy = Proxy;
const TypeErrorCtor = TypeError;
const ErrorCtor = Error;
const StringCtor = String;
const setHas = Set.prototype.has, setAdd = Set.prototype.add, setDelete = Set.prototype.delete;
const weakHas = WeakSet.prototype.has, weakAdd = WeakSet.prototype.add;
const stringSlice = String.prototype.slice;
const refApply = hostCall.apply, refApplySync = deliver.applySync, refApplyIgnored = hostLog.applyIgnored;

// Read by isolated-vm with ordinary property lookups: without a prototype, a getter the program
// puts on Object.prototype (copy, reference, promise, timeout, ...) is never consulted.
const COPY_ARGUMENTS = freeze({ __proto__: null, arguments: freeze({ __proto__: null, copy: true }) });
const CALL_OPTIONS = freeze({
  __proto__: null,
  arguments: freeze({ __proto__: null, copy: true }),
  result: freeze({ __proto__: null, promise: true, copy: true }),
});

delete globalThis.WebAssembly;

// Resizable and growable buffers reserve their maximum and commit pages as they grow, outside
// the allocator isolated-vm counts. Their constructors are wrapped to refuse maxByteLength
// (read once, and never handed on), and resize and grow are gone; fixed-length buffers, which
// the cap does count, work as before, instanceof and subclasses included.
function fence(name, grow) {
  const Native = globalThis[name];
  if (typeof Native !== 'function') return;
  const Fenced = function (length, options) {
    if (new.target === undefined) throw new TypeErrorCtor('Constructor ' + name + " requires 'new'");
    if ((typeof options === 'object' && options !== null) || typeof options === 'function') {
      if (options.maxByteLength !== undefined) {
        throw new TypeErrorCtor('a resizable ' + name + ' (maxByteLength) is not available in the sandbox: its memory is not counted against the memory cap');
      }
    }
    return construct(Native, [length], new.target);
  };
  const keys = ownKeys(Native);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (key !== 'prototype' && key !== 'length' && key !== 'name') defineProperty(Fenced, key, getOwnPropertyDescriptor(Native, key));
  }
  defineProperty(Fenced, 'name', { value: name, configurable: true });
  defineProperty(Fenced, 'prototype', { value: Native.prototype, writable: false });
  defineProperty(Native.prototype, 'constructor', { value: Fenced, writable: true, configurable: true });
  delete Native.prototype[grow];
  defineProperty(globalThis, name, { value: Fenced, writable: true, configurable: true });
}
fence('ArrayBuffer', 'resize');
fence('SharedArrayBuffer', 'grow');

// Proxies are remembered so the walk below can refuse them: a trap could answer differently
// each time it is asked, and only plain data crosses.
const proxies = new WeakSetCtor();
const FencedProxy = function Proxy(target, handler) {
  if (new.target === undefined) throw new TypeErrorCtor("Constructor Proxy requires 'new'");
  const proxy = construct(NativeProxy, [target, handler]);
  apply(weakAdd, proxies, [proxy]);
  return proxy;
};
FencedProxy.revocable = function revocable(target, handler) {
  const pair = NativeProxy.revocable(target, handler);
  apply(weakAdd, proxies, [pair.proxy]);
  return pair;
};
defineProperty(globalThis, 'Proxy', { value: FencedProxy, writable: true, configurable: true });

// The prelude's own refusals, told apart from anything the program throws by identity.
const refusals = new WeakSetCtor();
function refusal(code, message) {
  const r = { __proto__: null, code, message };
  apply(weakAdd, refusals, [r]);
  return r;
}
function isRefusal(error) {
  return error !== null && typeof error === 'object' && apply(weakHas, refusals, [error]);
}
function short(path) {
  return path.length <= 200 ? path : apply(stringSlice, path, [0, 200]) + '…';
}
function notPlain(path, what) {
  return refusal('E_SANDBOX_RESULT', short(path) + ' ' + what + '; only plain data (JSON) crosses the sandbox');
}
function tooLarge(path, budget) {
  return refusal('E_SANDBOX_TOO_LARGE', budget.what + ' is more than ' + budget.limit + ' characters of JSON, the limit of what leaves the sandbox (passed at ' + short(path) + ')');
}

// Copies value into fresh objects (no prototype) and arrays, reading own data properties only,
// and counts the characters its JSON takes as it goes: a string is measured by its length
// before anything touches its characters, and every reference to it counts again. Refuses
// what is not plain data, and stops as soon as budget.used passes budget.limit.
function plain(value, path, ancestors, budget) {
  switch (typeof value) {
    case 'string':
      budget.used += value.length + 2;
      if (budget.used > budget.limit) throw tooLarge(path, budget);
      return value;
    case 'boolean':
      budget.used += 5;
      if (budget.used > budget.limit) throw tooLarge(path, budget);
      return value;
    case 'number':
      if (!isFinite(value)) throw notPlain(path, 'is ' + value);
      budget.used += StringCtor(value).length;
      if (budget.used > budget.limit) throw tooLarge(path, budget);
      return value;
    case 'undefined':
      throw notPlain(path, 'is undefined');
    case 'bigint':
      throw notPlain(path, 'is a BigInt');
    case 'function':
      throw notPlain(path, 'is a function');
    case 'symbol':
      throw notPlain(path, 'is a symbol');
  }
  budget.used += 4;
  if (budget.used > budget.limit) throw tooLarge(path, budget);
  if (value === null) return null;
  if (apply(weakHas, proxies, [value])) throw notPlain(path, 'is a Proxy');
  if (apply(setHas, ancestors, [value])) throw notPlain(path, 'is a cycle (it contains itself)');
  apply(setAdd, ancestors, [value]);
  const copy = isArray(value) ? copyArray(value, path, ancestors, budget) : copyObject(value, path, ancestors, budget);
  apply(setDelete, ancestors, [value]);
  return copy;
}

function copyArray(value, path, ancestors, budget) {
  const copy = setPrototypeOf([], null);
  const length = getOwnPropertyDescriptor(value, 'length').value;
  // Every element takes at least its comma, holes included: a sparse array of billions is
  // refused here, before a single element is visited.
  budget.used += length;
  if (budget.used > budget.limit) throw tooLarge(path, budget);
  for (let i = 0; i < length; i++) {
    const at = path + '[' + i + ']';
    const desc = getOwnPropertyDescriptor(value, i);
    let item = null;
    if (desc !== undefined) {
      if (desc.get || desc.set) throw notPlain(at, 'is a getter or setter');
      item = plain(desc.value, at, ancestors, budget);
    } else {
      // A hole is null in JSON.
      budget.used += 4;
      if (budget.used > budget.limit) throw tooLarge(path, budget);
    }
    defineProperty(copy, i, { value: item, writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

function copyObject(value, path, ancestors, budget) {
  const proto = getPrototypeOf(value);
  if (proto !== ObjectProto && proto !== null) throw notPlain(path, 'is not a plain object or array');
  const copy = { __proto__: null };
  const keys = ownKeys(value);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (typeof key === 'symbol') throw notPlain(path, 'has a symbol key');
    const desc = getOwnPropertyDescriptor(value, key);
    if (desc === undefined || !desc.enumerable) continue;
    budget.used += key.length + 4;
    if (budget.used > budget.limit) throw tooLarge(path, budget);
    const at = path + '.' + key;
    if (desc.get || desc.set) throw notPlain(at, 'is a getter or setter');
    if (desc.value === undefined) continue;
    defineProperty(copy, key, { value: plain(desc.value, at, ancestors, budget), writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

function copyOut(value, path, limit) {
  return plain(value, path, new SetCtor(), { __proto__: null, used: 0, limit, what: path === 'result' ? 'the result' : path });
}

// Cuts text to at most limit characters, note included. Slicing flattens the whole string
// first, so a string far past the limit (cheap to build as 'x'.repeat(5e8)) is named by its
// length instead of cut.
function bounded(text, limit, what) {
  const length = text.length;
  if (length <= limit) return text;
  const note = '… (' + what + ' cut: ' + length + ' characters, the limit is ' + limit + ')';
  return length <= limit * 16 ? apply(stringSlice, text, [0, limit - note.length]) + note : note;
}

function asError(error) {
  if (!isRefusal(error)) return new ErrorCtor('the value is nested too deeply to check');
  if (error.code === 'E_SANDBOX_RESULT') return new TypeErrorCtor('not plain data: ' + error.message);
  const thrown = new ErrorCtor(error.message);
  thrown.code = error.code;
  return thrown;
}

function hostError(envelope) {
  const error = new ErrorCtor(envelope.message);
  error.code = envelope.code;
  return error;
}

async function call(fn, args) {
  let copy;
  try {
    copy = copyOut(args, fn + ' arguments', LIMITS.hostCall);
  } catch (error) {
    throw asError(error);
  }
  const text = await apply(refApply, hostCall, [undefined, [fn, copy], CALL_OPTIONS]);
  const envelope = parse(text);
  if (envelope.ok) return envelope.value;
  throw hostError(envelope);
}

function describe(part) {
  if (typeof part === 'string') return part;
  try {
    return stringify(copyOut(part, 'log', LIMITS.logLine));
  } catch (error) {
    if (isRefusal(error) && error.code === 'E_SANDBOX_TOO_LARGE') return '[a value of more than ' + LIMITS.logLine + ' characters]';
  }
  try {
    return StringCtor(part);
  } catch {
    return '[a value that cannot be written]';
  }
}

function format(parts) {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    out += (i ? ' ' : '') + bounded(describe(parts[i]), LIMITS.logLine, 'log part');
    if (out.length > LIMITS.logLine) break;
  }
  return bounded(out, LIMITS.logLine, 'log line');
}

function logAt(level) {
  return (...parts) => {
    apply(refApplyIgnored, hostLog, [undefined, [level, format(parts)], COPY_ARGUMENTS]);
  };
}

const log = logAt('info');
log.debug = logAt('debug');
log.info = log;
log.warn = logAt('warn');
log.error = logAt('error');

const warden = freeze({
  log: freeze(log),
  model: (request) => call('model', [request ?? {}]),
  tool: (name, args) => call('tool', [name, args ?? {}]),
  handoff: (to, handoff) => call('handoff', [to, handoff ?? {}]),
  memory: freeze({
    get: (key) => call('memory.get', [key]),
    set: (key, value) => call('memory.set', [key, value]),
    delete: (key) => call('memory.delete', [key]),
  }),
});

function describeThrown(error) {
  const limit = LIMITS.errorMessage;
  try {
    if (error !== null && typeof error === 'object') {
      return { __proto__: null, name: bounded(StringCtor(error.name), limit, 'name'), message: bounded(StringCtor(error.message), limit, 'message') };
    }
    return { __proto__: null, name: 'thrown value', message: bounded(StringCtor(error), limit, 'thrown value') };
  } catch {
    return { __proto__: null, name: 'thrown value', message: 'a value that cannot be described' };
  }
}

// Returns an envelope, never throws: what the program throws comes back as data, apart from
// the prelude's own refusals, so a program cannot pass itself off as a Warden error code.
// The result itself is delivered through $2 before the envelope says ok.
return async function run(main, inputText) {
  if (typeof main !== 'function') {
    return { __proto__: null, ok: false, code: 'E_SANDBOX_PROGRAM', message: 'the program has no default export function: write export default async (task, warden) => result' };
  }
  let result;
  try {
    result = await main(parse(inputText), warden);
  } catch (error) {
    return { __proto__: null, ok: false, thrown: describeThrown(error) };
  }
  try {
    const copy = copyOut(result === undefined ? null : result, 'result', LIMITS.result);
    apply(refApplySync, deliver, [undefined, [copy], COPY_ARGUMENTS]);
  } catch (error) {
    if (isRefusal(error)) return { __proto__: null, ok: false, code: error.code, message: error.message };
    return { __proto__: null, ok: false, code: 'E_SANDBOX_RESULT', message: 'the result is nested too deeply to check' };
  }
  return { __proto__: null, ok: true };
};
`;
