/**
 * The code that runs in every isolate before the agent's program. It builds the `warden`
 * object on two host references ($0: async host call, $1: log), removes what must not be
 * reachable, and returns the function that calls the program's default export and checks
 * that its result is plain data. Intrinsics are captured first, so a program that patches
 * JSON or Object cannot make a bad result look plain.
 *
 * WebAssembly is removed: its memory lives outside the V8 heap and isolated-vm's memoryLimit
 * does not count it (measured: a 1 GB WebAssembly.Memory allocates under a 32 MB cap).
 */
export const PRELUDE = String.raw`
const hostCall = $0;
const hostLog = $1;
const { stringify, parse } = JSON;
const { freeze, getPrototypeOf, getOwnPropertyDescriptor } = Object;
const { ownKeys } = Reflect;
const { isArray } = Array;
const { isFinite } = Number;
const ObjectProto = Object.prototype;
const SetCtor = Set;
const TypeErrorCtor = TypeError;
const ErrorCtor = Error;
const setHas = Set.prototype.has, setAdd = Set.prototype.add, setDelete = Set.prototype.delete;
const call3 = (fn, self, ...args) => Reflect.apply(fn, self, args);

delete globalThis.WebAssembly;

const REFUSAL = 'not plain data: ';
function notPlain(path, what) {
  return new TypeErrorCtor(REFUSAL + path + ' ' + what + '; only plain data (JSON) crosses the sandbox');
}

function checkPlain(value, path, ancestors) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!isFinite(value)) throw notPlain(path, 'is ' + value);
      return;
    case 'undefined':
      throw notPlain(path, 'is undefined');
    case 'bigint':
      throw notPlain(path, 'is a BigInt');
    case 'function':
      throw notPlain(path, 'is a function');
    case 'symbol':
      throw notPlain(path, 'is a symbol');
  }
  if (value === null) return;
  if (call3(setHas, ancestors, value)) throw notPlain(path, 'is a cycle (it contains itself)');
  const array = isArray(value);
  if (!array) {
    const proto = getPrototypeOf(value);
    if (proto !== ObjectProto && proto !== null) throw notPlain(path, 'is not a plain object or array');
  }
  call3(setAdd, ancestors, value);
  for (const key of ownKeys(value)) {
    if (typeof key === 'symbol') throw notPlain(path, 'has a symbol key');
    const desc = getOwnPropertyDescriptor(value, key);
    if (!desc.enumerable) continue;
    const at = array ? path + '[' + key + ']' : path + '.' + key;
    if (desc.get || desc.set) throw notPlain(at, 'is a getter or setter');
    if (desc.value === undefined && !array) continue;
    checkPlain(desc.value, at, ancestors);
  }
  call3(setDelete, ancestors, value);
}

function hostError(envelope) {
  const error = new ErrorCtor(envelope.message);
  error.code = envelope.code;
  return error;
}

async function call(fn, args) {
  checkPlain(args, fn + ' arguments', new SetCtor());
  const text = await hostCall.apply(undefined, [fn, stringify(args)], {
    arguments: { copy: true },
    result: { promise: true, copy: true },
  });
  const envelope = parse(text);
  if (envelope.ok) return envelope.value;
  throw hostError(envelope);
}

function format(parts) {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    let text;
    if (typeof part === 'string') text = part;
    else {
      try { text = stringify(part); } catch { text = String(part); }
      if (text === undefined) text = String(part);
    }
    out += (i ? ' ' : '') + text;
  }
  return out;
}

function logAt(level) {
  return (...parts) => {
    hostLog.applyIgnored(undefined, [level, format(parts)], { arguments: { copy: true } });
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
  try {
    if (error !== null && typeof error === 'object') {
      return { name: String(error.name), message: String(error.message) };
    }
    return { name: 'thrown value', message: String(error) };
  } catch {
    return { name: 'thrown value', message: 'a value that cannot be described' };
  }
}

// Returns an envelope, never throws: what the program throws comes back as data, apart from
// the prelude's own refusals, so a program cannot pass itself off as a Warden error code.
return async function run(main, inputText) {
  if (typeof main !== 'function') {
    return { ok: false, code: 'E_SANDBOX_PROGRAM', message: 'the program has no default export function: write export default async (task, warden) => result' };
  }
  let result;
  try {
    result = await main(parse(inputText), warden);
  } catch (error) {
    return { ok: false, thrown: describeThrown(error) };
  }
  const value = result === undefined ? null : result;
  try {
    checkPlain(value, 'result', new SetCtor());
  } catch (error) {
    const refused = error instanceof TypeErrorCtor && error.message.startsWith(REFUSAL);
    return { ok: false, code: 'E_SANDBOX_RESULT', message: refused ? error.message.slice(REFUSAL.length) : 'the result is nested too deeply to check' };
  }
  return { ok: true, value };
};
`;
