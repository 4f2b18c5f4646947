'use strict';
// Node built-in modules that are simplest to express in JavaScript. Compiled together with
// the user's program; `exports` is filled with what the native host wires into `require`.
const kEvents = Symbol('kEvents');
function eventsOf(em) {
  if (!Object.prototype.hasOwnProperty.call(em, kEvents)) {
    Object.defineProperty(em, kEvents, { value: new Map(), writable: true, configurable: true });
  }
  return em[kEvents];
}
class EventEmitter {
  constructor() {
    eventsOf(this);
  }
  _add(name, listener, prepend, once) {
    if (typeof listener !== 'function') {
      const e = new TypeError('The "listener" argument must be of type function. Received ' + (listener === null ? 'null' : typeof listener === 'object' ? 'an instance of Object' : 'type ' + typeof listener));
      e.code = 'ERR_INVALID_ARG_TYPE';
      throw e;
    }
    const map = eventsOf(this);
    if (map.has('newListener') && name !== 'newListener') this.emit('newListener', name, listener);
    let entry = listener;
    if (once) {
      const self = this;
      entry = function (...args) {
        self.removeListener(name, entry);
        return listener.apply(this, args);
      };
      entry.listener = listener;
    }
    const list = map.get(name);
    if (!list) map.set(name, [entry]);
    else if (prepend) list.unshift(entry);
    else list.push(entry);
    return this;
  }
  on(name, listener) { return this._add(name, listener, false, false); }
  addListener(name, listener) { return this._add(name, listener, false, false); }
  prependListener(name, listener) { return this._add(name, listener, true, false); }
  once(name, listener) { return this._add(name, listener, false, true); }
  prependOnceListener(name, listener) { return this._add(name, listener, true, true); }
  removeListener(name, listener) {
    const map = eventsOf(this);
    const list = map.get(name);
    if (!list) return this;
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) map.delete(name);
        if (map.has('removeListener')) this.emit('removeListener', name, listener);
        break;
      }
    }
    return this;
  }
  off(name, listener) { return this.removeListener(name, listener); }
  removeAllListeners(name) {
    const map = eventsOf(this);
    if (name === undefined) map.clear();
    else map.delete(name);
    return this;
  }
  emit(name, ...args) {
    const map = eventsOf(this);
    const list = map.get(name);
    if (!list || list.length === 0) {
      if (name === 'error') {
        const err = args[0];
        if (err instanceof Error) throw err;
        const e = new Error('Unhandled error. (' + (typeof err === 'string' ? "'" + err + "'" : String(err)) + ')');
        e.code = 'ERR_UNHANDLED_ERROR';
        e.context = err;
        throw e;
      }
      return false;
    }
    for (const fn of list.slice()) fn.apply(this, args);
    return true;
  }
  listenerCount(name) {
    const list = eventsOf(this).get(name);
    return list ? list.length : 0;
  }
  listeners(name) {
    const list = eventsOf(this).get(name);
    return list ? list.map((l) => l.listener || l) : [];
  }
  rawListeners(name) {
    const list = eventsOf(this).get(name);
    return list ? list.slice() : [];
  }
  eventNames() { return [...eventsOf(this).keys()]; }
  setMaxListeners(n) { this._maxListeners = n; return this; }
  getMaxListeners() { return this._maxListeners === undefined ? 10 : this._maxListeners; }
}
EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;
EventEmitter.once = function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (err) => { emitter.removeListener(name, onEvent); reject(err); };
    const onEvent = (...args) => { if (name !== 'error') emitter.removeListener('error', onError); resolve(args); };
    emitter.once(name, onEvent);
    if (name !== 'error') emitter.once('error', onError);
  });
};
for (const key of ['_add', 'on', 'addListener', 'prependListener', 'once', 'prependOnceListener', 'removeListener', 'off', 'removeAllListeners', 'emit', 'listenerCount', 'listeners', 'rawListeners', 'eventNames', 'setMaxListeners', 'getMaxListeners']) {
  Object.defineProperty(EventEmitter.prototype, key, { enumerable: false });
}

const customPromisify = Symbol.for('nodejs.util.promisify.custom');
function promisify(original) {
  if (typeof original !== 'function') {
    const e = new TypeError('The "original" argument must be of type function');
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
  if (original[customPromisify]) return original[customPromisify];
  function fn(...args) {
    return new Promise((resolve, reject) => {
      original.call(this, ...args, (err, ...values) => {
        if (err) return reject(err);
        resolve(values[0]);
      });
    });
  }
  Object.defineProperty(fn, 'name', { value: original.name });
  return fn;
}
promisify.custom = customPromisify;

const timersPromises = {
  setTimeout(delay, value) {
    return new Promise((resolve) => setTimeout(resolve, delay, value));
  },
  setImmediate(value) {
    return new Promise((resolve) => setImmediate(resolve, value));
  },
  // As Node's: the interval starts with the first next(); ticks nobody awaited yet are
  // yielded one after another; leaving the loop (return) clears the interval.
  async *setInterval(after, value) {
    let interval;
    try {
      let notYielded = 0;
      let callback;
      interval = setInterval(() => {
        notYielded++;
        if (callback) {
          callback();
          callback = undefined;
        }
      }, after);
      while (true) {
        if (notYielded === 0) {
          await new Promise((resolve) => { callback = resolve; });
        }
        for (; notYielded > 0; notYielded--) {
          yield value;
        }
      }
    } finally {
      clearInterval(interval);
    }
  },
};
setTimeout[customPromisify] = timersPromises.setTimeout;
setImmediate[customPromisify] = timersPromises.setImmediate;

function callbackify(original) {
  return function (...args) {
    const cb = args.pop();
    original.apply(this, args).then((v) => process.nextTick(cb, null, v), (e) => process.nextTick(cb, e));
  };
}

// ---------- DOMException (structuredClone's DataCloneError, AbortError, ...)
const domExceptionCodes = {
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
  SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
  TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
  QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
};
const kDomName = Symbol('kDomName');
class DOMException extends Error {
  constructor(message = '', options = 'Error') {
    super(message);
    const name = options !== null && typeof options === 'object'
      ? ('name' in options ? String(options.name) : 'Error')
      : String(options);
    Object.defineProperty(this, kDomName, { value: name });
  }
  get name() { return this[kDomName]; }
  get code() { return domExceptionCodes[this[kDomName]] || 0; }
  get [Symbol.toStringTag]() { return 'DOMException'; }
}
for (const [name, code] of Object.entries(domExceptionCodes)) {
  const constant = name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase().replace(/_ERROR$/, '_ERR');
  Object.defineProperty(DOMException, constant, { value: code, enumerable: true });
}

// ---------- path (POSIX)
function normalizeParts(parts, absolute) {
  const out = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!absolute) out.push('..');
    } else out.push(part);
  }
  return out;
}
function assertPath(p, name) {
  if (typeof p !== 'string') {
    const e = new TypeError('The "' + name + '" argument must be of type string. Received ' + (p === null ? 'null' : typeof p === 'object' ? 'an instance of Object' : 'type ' + typeof p + (p === undefined ? '' : ' (' + String(p) + ')')));
    e.code = 'ERR_INVALID_ARG_TYPE';
    throw e;
  }
}
const path = {
  sep: '/',
  delimiter: ':',
  normalize(p) {
    assertPath(p, 'path');
    if (p === '') return '.';
    const absolute = p.startsWith('/');
    const trailing = p.endsWith('/');
    let s = normalizeParts(p.split('/'), absolute).join('/');
    if (s === '' && !absolute) s = '.';
    if (s !== '' && trailing) s += '/';
    return (absolute ? '/' : '') + s;
  },
  join(...parts) {
    parts.forEach((p) => assertPath(p, 'path'));
    const joined = parts.filter((p) => p !== '').join('/');
    return joined === '' ? '.' : path.normalize(joined);
  },
  resolve(...parts) {
    let resolved = '';
    for (let i = parts.length - 1; i >= -1 && !resolved.startsWith('/'); i--) {
      const p = i >= 0 ? parts[i] : process.cwd();
      assertPath(p, 'paths[' + i + ']');
      if (p !== '') resolved = resolved === '' ? p : p + '/' + resolved;
    }
    const s = '/' + normalizeParts(resolved.split('/'), true).join('/');
    return s;
  },
  isAbsolute(p) {
    assertPath(p, 'path');
    return p.startsWith('/');
  },
  dirname(p) {
    assertPath(p, 'path');
    const s = p.length > 1 ? p.replace(/\/+$/, '') : p;
    const i = s.lastIndexOf('/');
    if (i === -1) return '.';
    if (i === 0) return '/';
    return s.slice(0, i);
  },
  basename(p, ext) {
    assertPath(p, 'path');
    const s = p.length > 1 ? p.replace(/\/+$/, '') : p;
    let base = s.slice(s.lastIndexOf('/') + 1);
    if (ext !== undefined && base.endsWith(ext) && base !== ext) base = base.slice(0, -ext.length);
    return base;
  },
  extname(p) {
    assertPath(p, 'path');
    const base = path.basename(p);
    const i = base.lastIndexOf('.');
    return i <= 0 ? '' : base.slice(i);
  },
  relative(from, to) {
    const a = path.resolve(from).split('/').filter(Boolean);
    const b = path.resolve(to).split('/').filter(Boolean);
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
  },
  parse(p) {
    assertPath(p, 'path');
    const base = path.basename(p);
    const ext = path.extname(p);
    const dir = p.includes('/') ? path.dirname(p) : '';
    return { root: p.startsWith('/') ? '/' : '', dir, base, ext, name: ext ? base.slice(0, -ext.length) : base };
  },
  format(o) {
    const dir = o.dir || o.root || '';
    const base = o.base || (o.name || '') + (o.ext || '');
    return dir === '' ? base : dir === o.root ? dir + base : dir + '/' + base;
  },
};
path.posix = path;
exports.path = path;

exports.DOMException = DOMException;
exports.EventEmitter = EventEmitter;
exports.promisify = promisify;
exports.callbackify = callbackify;
exports.timersPromises = timersPromises;
exports.readFilePromise = function readFile(path, options) {
  return new Promise((resolve, reject) => {
    exports.fs.readFile(path, options, (err, data) => (err ? reject(err) : resolve(data)));
  });
};

// ---------- async generators
// The VM compiles an `async function*` body as a sync generator in which every `await v`
// (including the implicit ones of `yield v`, `return v` and `for await`) yields
// `%AsyncGeneratorAwait%(v)`. This driver implements the spec's request queue
// (AsyncGeneratorEnqueue / Resume / CompleteStep / DrainQueue / AwaitReturn) on top of it.
const $Promise = Promise;
const $promiseResolve = Promise.resolve;
const $then = Promise.prototype.then;
class AsyncGeneratorAwait {
  constructor(v) {
    this.v = v;
  }
}
Object.defineProperty(globalThis, '%AsyncGeneratorAwait%', {
  value: (v) => new AsyncGeneratorAwait(v),
  enumerable: false,
});
const kAsyncGen = Symbol('kAsyncGen');
const AsyncIteratorPrototype = {};
Object.defineProperty(AsyncIteratorPrototype, Symbol.asyncIterator, {
  value: function () {
    return this;
  },
  writable: true,
  configurable: true,
});
const AsyncGeneratorPrototype = Object.create(AsyncIteratorPrototype);
Object.defineProperty(AsyncGeneratorPrototype, Symbol.toStringTag, { value: 'AsyncGenerator', configurable: true });

function agAwait(v, onFul, onRej) {
  let p;
  try {
    p = $promiseResolve.call($Promise, v);
  } catch (e) {
    onRej(e);
    return;
  }
  $then.call(p, onFul, onRej);
}
function agCompleteStep(s, isThrow, value, done) {
  const req = s.queue.shift();
  if (isThrow) req.reject(value);
  else req.resolve({ value, done });
}
function agDrainQueue(s) {
  while (s.queue.length > 0) {
    const next = s.queue[0];
    if (next.kind === 2) {
      s.state = 'awaiting-return';
      agAwaitReturn(s);
      return;
    }
    if (next.kind === 1) agCompleteStep(s, true, next.value, true);
    else agCompleteStep(s, false, undefined, true);
  }
}
function agAwaitReturn(s) {
  const finish = (isThrow) => (v) => {
    s.state = 'completed';
    agCompleteStep(s, isThrow, v, true);
    agDrainQueue(s);
  };
  agAwait(s.queue[0].value, finish(false), finish(true));
}
// Runs the body until its next await, yield or completion. kind: 0 next, 1 throw, 2 return.
function agStep(s, kind, value) {
  s.state = 'executing';
  let r;
  try {
    r = kind === 0 ? s.gen.next(value) : kind === 1 ? s.gen.throw(value) : s.gen.return(value);
  } catch (e) {
    s.state = 'completed';
    agCompleteStep(s, true, e, true);
    agDrainQueue(s);
    return;
  }
  if (r.done) {
    s.state = 'completed';
    agCompleteStep(s, false, r.value, true);
    agDrainQueue(s);
    return;
  }
  const y = r.value;
  if (y instanceof AsyncGeneratorAwait) {
    agAwait(y.v, (v) => agStep(s, 0, v), (e) => agStep(s, 1, e));
    return;
  }
  // AsyncGeneratorYield (the operand was already awaited)
  agCompleteStep(s, false, y, false);
  if (s.queue.length > 0) agResumeFromYield(s, s.queue[0].kind, s.queue[0].value);
  else s.state = 'suspendedYield';
}
// AsyncGeneratorUnwrapYieldResumption: a return request awaits its value first.
function agResumeFromYield(s, kind, value) {
  s.state = 'executing';
  if (kind !== 2) {
    agStep(s, kind, value);
    return;
  }
  agAwait(value, (v) => agStep(s, 2, v), (e) => agStep(s, 1, e));
}
function agRequest(self, kind, value, method) {
  let resolve, reject;
  const promise = new $Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  const s = self !== null && typeof self === 'object' ? self[kAsyncGen] : undefined;
  if (s === undefined) {
    reject(new TypeError(method + ' method called on incompatible receiver ' + String(self)));
    return promise;
  }
  if (kind === 1 && s.state === 'suspendedStart') s.state = 'completed';
  if (s.state === 'completed' && kind !== 2) {
    if (kind === 1) reject(value);
    else resolve({ value: undefined, done: true });
    return promise;
  }
  s.queue.push({ kind, value, resolve, reject });
  if (kind === 2 && (s.state === 'suspendedStart' || s.state === 'completed')) {
    s.state = 'awaiting-return';
    agAwaitReturn(s);
  } else if (s.state === 'suspendedStart') {
    agStep(s, 0, value);
  } else if (s.state === 'suspendedYield') {
    agResumeFromYield(s, kind, value);
  }
  return promise;
}
const agMethods = {
  next(v) {
    return agRequest(this, 0, v, '[AsyncGenerator].prototype.next');
  },
  return(v) {
    return agRequest(this, 2, v, '[AsyncGenerator].prototype.return');
  },
  throw(v) {
    return agRequest(this, 1, v, '[AsyncGenerator].prototype.throw');
  },
};
for (const k of ['next', 'return', 'throw']) {
  Object.defineProperty(AsyncGeneratorPrototype, k, { value: agMethods[k], writable: true, configurable: true });
}
exports.asyncGeneratorStart = function asyncGeneratorStart(gen) {
  const o = Object.create(AsyncGeneratorPrototype);
  Object.defineProperty(o, kAsyncGen, { value: { gen, state: 'suspendedStart', queue: [] } });
  return o;
};
// --- the virtual network (native side: host/http.rs)
class Response {
  constructor(url, status, body) {
    this.url = url;
    this.status = status;
    this.ok = status >= 200 && status < 300;
    this.statusText = status === 200 ? 'OK' : '';
    Object.defineProperty(this, '_body', { value: body, enumerable: false });
  }
  text() { return Promise.resolve(this._body); }
  json() { return this.text().then((t) => JSON.parse(t)); }
}
for (const key of ['text', 'json']) {
  Object.defineProperty(Response.prototype, key, { enumerable: false });
}
exports.fetch = function fetch(url) {
  return new Promise((resolve, reject) => {
    exports.netRequest(String(url), (err, status, body) => {
      if (err) {
        const e = new TypeError('fetch failed');
        e.cause = err;
        reject(e);
      } else {
        resolve(new Response(String(url), status, body));
      }
    });
  });
};
// http.get to a host of the virtual network (the rest of `http`, with the in-process
// server, is `httpModule` at the end)
const virtualHttp = {
  get(url, options, cb) {
    if (typeof options === 'function') cb = options;
    const req = new EventEmitter();
    req.end = () => req;
    if (typeof cb === 'function') req.once('response', cb);
    exports.netRequest(String(url), (err, status, body) => {
      if (err) {
        req.emit('error', err);
        return;
      }
      const res = new EventEmitter();
      res.statusCode = status;
      res.setEncoding = () => res;
      req.emit('response', res);
      res.emit('data', body);
      res.emit('end');
    });
    return req;
  },
};

// worker_threads: built on the first require (host/worker_threads.rs), so programs that do
// not use it allocate nothing for it. `wt` holds the native side; `info` says which thread
// this is.
exports.workerThreads = function workerThreads(wt, info) {
  const kId = Symbol('kId');
  function invalidArg(name, what, value) {
    const shown = value === null ? 'null' : typeof value === 'object' ? 'an instance of ' + (value.constructor && value.constructor.name || 'Object') : 'type ' + typeof value + ' (' + String(value) + ')';
    const e = new TypeError('The "' + name + '" argument must be ' + what + '. Received ' + shown);
    e.code = 'ERR_INVALID_ARG_TYPE';
    return e;
  }
  function unsupported(what) {
    return new Error('unsupported: ' + what + ' (the simulator does not model it)');
  }
  class MessagePort extends EventEmitter {
    constructor() {
      throw new TypeError('Illegal constructor');
    }
    postMessage(value, transfer) {
      if (arguments.length === 0) {
        const e = new TypeError('The "value" argument must be specified');
        e.code = 'ERR_MISSING_ARGS';
        throw e;
      }
      wt.post(this[kId], value, transfer);
    }
    start() { wt.start(this[kId], false); }
    close() { wt.close(this[kId]); }
    ref() { wt.ref(this[kId], true); return this; }
    unref() { wt.ref(this[kId], false); return this; }
    hasRef() { return wt.hasRef(this[kId]); }
    _add(name, listener, prepend, once) {
      super._add(name, listener, prepend, once);
      if (name === 'message') wt.start(this[kId], true);
      return this;
    }
    removeListener(name, listener) {
      super.removeListener(name, listener);
      if (name === 'message' && this.listenerCount('message') === 0) wt.ref(this[kId], false);
      return this;
    }
    // removeAllListeners leaves the port referenced, as Node's does
    get onmessage() { return this._onmessage || null; }
    set onmessage(f) {
      if (this._onmessage) this.removeListener('message', this._onmessageListener);
      this._onmessage = f;
      if (typeof f === 'function') {
        this._onmessageListener = (data) => f.call(this, { data, target: this, type: 'message' });
        this.on('message', this._onmessageListener);
      }
    }
  }
  Object.defineProperty(MessagePort.prototype, Symbol.toStringTag, { value: 'MessagePort', configurable: true });
  function makePort(id) {
    const port = Object.create(MessagePort.prototype);
    eventsOf(port);
    Object.defineProperty(port, kId, { value: id });
    wt.bind(id, port);
    return port;
  }
  class MessageChannel {
    constructor() {
      const ids = wt.channel();
      this.port1 = makePort(ids[0]);
      this.port2 = makePort(ids[1]);
    }
  }
  class BroadcastChannel {
    constructor(name) {
      if (arguments.length === 0) {
        const e = new TypeError('The "name" argument must be specified');
        e.code = 'ERR_MISSING_ARGS';
        throw e;
      }
      this.name = String(name);
      this.onmessage = null;
      this._listeners = [];
      Object.defineProperty(this, kId, { value: wt.broadcast(this.name) });
      wt.bind(this[kId], this);
    }
    postMessage(value) {
      if (this[kId] === null) {
        throw new (exports.DOMException)('BroadcastChannel is closed.', 'InvalidStateError');
      }
      wt.post(this[kId], value, []);
    }
    addEventListener(type, f) {
      if (type === 'message') { this._listeners.push(f); wt.start(this[kId], true); }
    }
    removeEventListener(type, f) {
      const i = this._listeners.indexOf(f);
      if (i >= 0) this._listeners.splice(i, 1);
    }
    close() { wt.close(this[kId]); }
    ref() { wt.ref(this[kId], true); return this; }
    unref() { wt.ref(this[kId], false); return this; }
    emit(name, data) {
      if (name !== 'message') return;
      const event = { data, target: this, type: 'message' };
      Object.defineProperty(event, 'constructor', { value: { name: 'MessageEvent' } });
      if (typeof this.onmessage === 'function') this.onmessage(event);
      for (const f of this._listeners.slice()) f.call(this, event);
    }
  }
  for (const key of ['onmessage']) {
    Object.defineProperty(BroadcastChannel.prototype, key, { writable: true, value: null });
  }
  const kExit = Symbol('kExit');
  class Worker extends EventEmitter {
    constructor(filename, options) {
      super();
      if (options === undefined) options = {};
      const isUrl = typeof URL === 'function' && filename instanceof URL;
      if (typeof filename !== 'string' && !isUrl) {
        throw invalidArg('filename', 'of type string or an instance of URL', filename);
      }
      if (isUrl) filename = filename.pathname;
      for (const key of ['argv', 'env', 'execArgv', 'stdin', 'stdout', 'stderr', 'transferList', 'trackUnmanagedFds']) {
        if (options[key] !== undefined) throw unsupported('the Worker option ' + key);
      }
      if (!options.eval) {
        if (!filename.startsWith('/') && !filename.startsWith('./') && !filename.startsWith('../')) {
          const e = new TypeError('The worker script or module filename must be an absolute path or a relative path starting with \'./\' or \'../\'. Received "' + filename + '"');
          e.code = 'ERR_WORKER_PATH';
          throw e;
        }
      }
      const started = wt.spawn(String(filename), !!options.eval, options.workerData);
      Object.defineProperty(this, kId, { value: started[0] });
      this.threadId = started[1];
      this.resourceLimits = Object.assign({ maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 2048, codeRangeSizeMb: 0, stackSizeMb: 4 }, options.resourceLimits || {});
      this._exited = false;
      wt.bind(started[0], this);
    }
    postMessage(value, transfer) {
      if (arguments.length === 0) {
        const e = new TypeError('The "value" argument must be specified');
        e.code = 'ERR_MISSING_ARGS';
        throw e;
      }
      if (this._exited) return;
      wt.post(this[kId], value, transfer);
    }
    terminate(callback) {
      if (callback !== undefined) throw unsupported('terminate(callback)');
      if (this._exited) return Promise.resolve(undefined);
      wt.terminate(this[kId]);
      return new Promise((resolve) => this.once('exit', resolve));
    }
    ref() { wt.ref(this[kId], true); }
    unref() { wt.ref(this[kId], false); }
    [kExit](code) {
      this._exited = true;
      this.threadId = -1;
      this.emit('exit', code);
    }
  }
  function dispatch(target, kind, value) {
    switch (kind) {
      case 0: target.emit('message', value); break;
      case 1: target.emit('online'); break;
      case 2: target.emit('error', value); break;
      case 3: target[kExit](value); break;
      case 4: target.emit('close'); break;
    }
  }
  function notModelled(name) {
    return function () { throw unsupported('worker_threads.' + name); };
  }
  const parentPort = info.parentPort === null ? null : makePort(info.parentPort);
  return {
    module: {
      isMainThread: info.isMainThread,
      MessagePort,
      MessageChannel,
      markAsUntransferable: notModelled('markAsUntransferable'),
      moveMessagePortToContext: notModelled('moveMessagePortToContext'),
      receiveMessageOnPort: notModelled('receiveMessageOnPort'),
      resourceLimits: info.isMainThread ? {} : { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 2048, codeRangeSizeMb: 0, stackSizeMb: 4 },
      postMessageToThread: notModelled('postMessageToThread'),
      threadId: info.threadId,
      SHARE_ENV: Symbol('nodejs.worker_threads.SHARE_ENV'),
      Worker,
      parentPort,
      workerData: info.workerData,
      BroadcastChannel,
      setEnvironmentData: notModelled('setEnvironmentData'),
      getEnvironmentData: notModelled('getEnvironmentData'),
    },
    dispatch,
    makePort,
  };
};

// child_process, and a Node child's end of its channel: built on the first require and in
// every Node child at start-up (host/child_process.rs). `cp` holds the native side.
exports.childProcess = function childProcess(cp) {
  const kPort = Symbol('kPort');
  const kAdvanced = Symbol('kAdvanced');
  const kOnline = Symbol('kOnline');
  function nodeError(Base, code, message) {
    const e = new Base(message);
    e.code = code;
    return e;
  }
  function unsupported(what) {
    return new Error('unsupported: ' + what + ' (the simulator does not model it)');
  }
  function shown(value) {
    if (value === null) return 'null';
    if (typeof value === 'function') return 'function ' + value.name;
    if (typeof value === 'object') return 'an instance of ' + (value.constructor && value.constructor.name || 'Object');
    let s = String(value);
    if (typeof value === 'string') s = "'" + s + "'";
    return 'type ' + typeof value + ' (' + s + ')';
  }
  function invalidArgType(name, what, value) {
    return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "' + name + '" argument must be ' + what + '. Received ' + shown(value));
  }
  function validateString(value, name) {
    if (typeof value !== 'string') throw invalidArgType(name, 'of type string', value);
  }
  const errnoNames = { '-2': 'ENOENT', '-11': 'EAGAIN', '-13': 'EACCES' };
  function errnoException(errno, syscall, path, spawnargs) {
    const code = errnoNames[errno] || 'UNKNOWN';
    const e = new Error(syscall + ' ' + code);
    e.errno = errno;
    e.code = code;
    e.syscall = syscall;
    if (path !== undefined) e.path = path;
    if (spawnargs !== undefined) e.spawnargs = spawnargs;
    return e;
  }

  // The parent's end of a child's stdout or stderr: a stream.Readable the machine pushes
  // the child's chunks into (as Buffers; `setEncoding` decodes them), ended by the child's
  // end of the pipe.
  function pipeReadable() {
    const { Readable } = require('stream');
    const r = new Readable({ read() {} });
    Object.defineProperty(r, '_push', {
      value: (text) => { if (!r.destroyed) r.push(text === null ? null : Buffer.from(text)); },
    });
    return r;
  }
  // The parent's end of a child's stdin. A program that reads its stdin runs when the
  // parent ends it; a simulated Node child does not read stdin, so writing data to one is
  // refused rather than lost.
  class PipeWritable extends EventEmitter {
    constructor(pid, isNode) {
      super();
      this.writable = true;
      this.destroyed = false;
      this.writableEnded = false;
      this._pid = pid;
      this._isNode = isNode;
    }
    write(chunk, encoding, callback) {
      if (typeof encoding === 'function') callback = encoding;
      if (this.writableEnded) {
        const e = nodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end');
        process.nextTick(() => { if (typeof callback === 'function') callback(e); this.emit('error', e); });
        return false;
      }
      const text = chunk === undefined || chunk === null ? '' : String(chunk);
      if (text.length > 0) {
        if (this._isNode) throw new Error("unsupported: writing to a Node child's stdin (the simulator's Node children do not read stdin)");
        if (this._pid !== undefined) cp.input(this._pid, text, false);
      }
      if (typeof callback === 'function') process.nextTick(callback, null);
      return true;
    }
    end(chunk, encoding, callback) {
      if (typeof chunk === 'function') { callback = chunk; chunk = undefined; }
      else if (typeof encoding === 'function') callback = encoding;
      if (chunk !== undefined && chunk !== null) this.write(chunk);
      if (this.writableEnded) return this;
      this.writableEnded = true;
      this.writable = false;
      if (this._pid !== undefined && !this._isNode) cp.input(this._pid, '', true);
      process.nextTick(() => {
        this.emit('finish');
        if (typeof callback === 'function') callback();
        this.destroy();
      });
      return this;
    }
    destroy() {
      if (this.destroyed) return this;
      this.destroyed = true;
      this.writable = false;
      process.nextTick(() => this.emit('close'));
      return this;
    }
  }

  function maybeClose(child) {
    child._closesGot++;
    if (child._closesGot === child._closesNeeded) child.emit('close', child.exitCode, child.signalCode);
  }
  function flushStdio(child) {
    for (const s of [child.stdout, child.stderr]) {
      if (s && s.readableFlowing === null) s.resume();
    }
  }
  function onExit(child, code, signal) {
    if (signal) child.signalCode = signal;
    else child.exitCode = code;
    if (child.stdin) child.stdin.destroy();
    if (code !== null && code < 0) {
      const syscall = child.spawnfile ? 'spawn ' + child.spawnfile : 'spawn';
      child.emit('error', errnoException(code, syscall, child.spawnfile, child.spawnargs.slice(1)));
    } else {
      child.emit('exit', child.exitCode, child.signalCode);
    }
    process.nextTick(flushStdio, child);
    maybeClose(child);
  }

  // What both ends of an IPC channel do: send, disconnect.
  function ipcSend(owner, port, message, handle, options, callback) {
    if (typeof handle === 'function') { callback = handle; handle = undefined; options = undefined; }
    else if (typeof options === 'function') { callback = options; options = undefined; }
    if (message === undefined) throw nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "message" argument must be specified');
    if (typeof message !== 'string' && typeof message !== 'object' && typeof message !== 'number' && typeof message !== 'boolean') {
      throw invalidArgType('message', 'one of type string, object, number, or boolean', message);
    }
    if (!owner.connected) {
      const ex = nodeError(Error, 'ERR_IPC_CHANNEL_CLOSED', 'Channel closed');
      if (typeof callback === 'function') process.nextTick(callback, ex);
      else process.nextTick(() => owner.emit('error', ex));
      return false;
    }
    // a number: the server's end of a connection that cluster's primary hands to a worker
    const conn = typeof handle === 'number' ? handle : undefined;
    if (handle !== undefined && conn === undefined) throw unsupported('sending a handle over IPC');
    if (owner[kAdvanced]) cp.send(port, message, true, conn);
    else cp.send(port, JSON.stringify(message), false, conn);
    if (typeof callback === 'function') process.nextTick(callback, null);
    return true;
  }
  function ipcDisconnect(owner, port) {
    if (!owner.connected) {
      owner.emit('error', nodeError(Error, 'ERR_IPC_DISCONNECTED', 'IPC channel is already disconnected'));
      return;
    }
    owner.connected = false;
    cp.disconnect(port);
    if (owner === process) cp.ref(port, false);
    process.nextTick(() => owner.emit('disconnect'));
  }

  class ChildProcess extends EventEmitter {
    constructor() {
      super();
      this._closesNeeded = 1;
      this._closesGot = 0;
      this.connected = false;
      this.signalCode = null;
      this.exitCode = null;
      this.killed = false;
      this.spawnfile = null;
      this.spawnargs = [];
      this.pid = undefined;
      this.stdin = null;
      this.stdout = null;
      this.stderr = null;
      this.stdio = [null, null, null];
    }
    spawn(options) {
      const file = options.file;
      const args = options.args;
      this.spawnfile = file;
      this.spawnargs = [options.argv0 === undefined ? file : options.argv0, ...args];
      const modes = options.modes;
      const result = cp.spawn(file, args, {
        cwd: options.cwd, env: options.envPairs, stdio: modes, ipc: options.ipc,
        advanced: options.serialization === 'advanced', argv0: options.argv0,
      });
      const failed = typeof result === 'number';
      const stdio = [];
      for (let i = 0; i < modes.length; i++) {
        let stream = null;
        if (modes[i] === 'pipe') {
          stream = i === 0 ? new PipeWritable(failed ? undefined : result[0], !failed && result[2]) : pipeReadable();
          if (i > 0 && failed) stream._push(null);
          else if (i > 0) {
            this._closesNeeded++;
            stream.on('close', () => maybeClose(this));
          }
        }
        stdio.push(stream);
      }
      if (options.ipc) stdio.push(null);
      this.stdio = stdio;
      this.stdin = stdio[0];
      this.stdout = stdio[1];
      this.stderr = stdio[2];
      if (failed) {
        process.nextTick(onExit, this, result, null);
        return result;
      }
      this.pid = result[0];
      Object.defineProperty(this, kPort, { value: result[1] });
      Object.defineProperty(this, kAdvanced, { value: options.serialization === 'advanced' });
      cp.bind(result[1], this);
      if (options.ipc) this.connected = true;
      process.nextTick(() => this.emit('spawn'));
      return 0;
    }
    kill(signal) {
      if (this.pid === undefined || this.exitCode !== null || this.signalCode !== null) {
        if (signal !== undefined && signal !== 0 && typeof signal !== 'number' && typeof signal !== 'string') {
          throw invalidArgType('signal', 'of type string or number', signal);
        }
        return false;
      }
      const ok = cp.kill(this.pid, signal);
      if (ok) this.killed = true;
      return ok;
    }
    send(message, handle, options, callback) {
      return ipcSend(this, this[kPort], message, handle, options, callback);
    }
    disconnect() { ipcDisconnect(this, this[kPort]); }
    ref() { if (this[kPort] !== undefined) cp.ref(this[kPort], true); }
    unref() { if (this[kPort] !== undefined) cp.ref(this[kPort], false); }
  }

  function stdioModes(stdio) {
    if (stdio === undefined || stdio === null || stdio === 'pipe' || stdio === 'overlapped') stdio = ['pipe', 'pipe', 'pipe'];
    else if (stdio === 'inherit') stdio = ['inherit', 'inherit', 'inherit'];
    else if (stdio === 'ignore') stdio = ['ignore', 'ignore', 'ignore'];
    else if (!Array.isArray(stdio)) {
      throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'stdio' is invalid. Received " + String(stdio));
    }
    const modes = [];
    let ipc = false;
    for (let i = 0; i < stdio.length || i < 3; i++) {
      const s = stdio[i];
      if (s === 'ipc') {
        if (ipc) throw nodeError(Error, 'ERR_IPC_ONE_PIPE', 'Child process can have only one IPC pipe');
        ipc = true;
        continue;
      }
      if (modes.length >= 3) continue;
      if (s === undefined || s === null || s === 'pipe' || s === 'overlapped') modes.push('pipe');
      else if (s === 'ignore') modes.push('ignore');
      else modes.push('inherit');
    }
    return { modes, ipc };
  }
  function normalizeSpawnArguments(file, args, options) {
    validateString(file, 'file');
    if (file.length === 0) throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', "The argument 'file' cannot be empty. Received ''");
    if (Array.isArray(args)) args = args.slice();
    else if (args === undefined || args === null) args = [];
    else if (typeof args !== 'object') throw invalidArgType('args', 'an instance of Array', args);
    else { options = args; args = []; }
    if (options === undefined || options === null) options = {};
    else if (typeof options !== 'object') throw invalidArgType('options', 'of type object', options);
    if (options.shell) {
      const command = args.length > 0 ? file + ' ' + args.join(' ') : file;
      file = typeof options.shell === 'string' ? options.shell : '/bin/sh';
      args = ['-c', command];
    }
    const env = options.env || process.env;
    const envPairs = [];
    for (const key in env) {
      if (env[key] !== undefined) envPairs.push(key, String(env[key]));
    }
    const { modes, ipc } = stdioModes(options.stdio);
    return {
      file, args, envPairs, modes, ipc, cwd: options.cwd, argv0: options.argv0,
      serialization: options.serialization, options,
    };
  }

  function spawn(file, args, options) {
    const n = normalizeSpawnArguments(file, args, options);
    const child = new ChildProcess();
    child.spawn(n);
    const timeout = n.options.timeout;
    if (timeout > 0) {
      let timer = setTimeout(() => {
        if (timer) { child.kill(n.options.killSignal); timer = null; }
      }, timeout);
      child.once('exit', () => { if (timer) { clearTimeout(timer); timer = null; } });
    }
    return child;
  }

  function forkProcess(modulePath, args, options) {
    validateString(modulePath, 'modulePath');
    if (args === undefined || args === null) args = [];
    else if (!Array.isArray(args)) {
      if (typeof args !== 'object') throw invalidArgType('args', 'an instance of Array', args);
      options = args;
      args = [];
    }
    options = { ...options, shell: false };
    const execArgv = options.execArgv || process.execArgv;
    args = [...execArgv, modulePath, ...args];
    if (typeof options.stdio === 'string') options.stdio = [options.stdio, options.stdio, options.stdio, 'ipc'];
    else if (!Array.isArray(options.stdio)) options.stdio = options.silent ? ['pipe', 'pipe', 'pipe', 'ipc'] : ['inherit', 'inherit', 'inherit', 'ipc'];
    else if (!options.stdio.includes('ipc')) throw nodeError(Error, 'ERR_CHILD_PROCESS_IPC_REQUIRED', "Forked processes must have an IPC channel, missing value 'ipc' in options.stdio");
    return spawn(options.execPath || process.execPath, args, options);
  }

  function execFile(file, args, options, callback) {
    if (typeof args === 'function') { callback = args; args = []; options = undefined; }
    else if (!Array.isArray(args) && args !== undefined && args !== null) { callback = options; options = args; args = []; }
    if (typeof options === 'function') { callback = options; options = undefined; }
    args = args || [];
    options = {
      encoding: 'utf8', timeout: 0, maxBuffer: 1024 * 1024, killSignal: 'SIGTERM',
      cwd: null, env: null, shell: false, ...options,
    };
    const child = spawn(file, args, {
      cwd: options.cwd, env: options.env, shell: options.shell, argv0: options.argv0,
      stdio: options.stdio,
    });
    const encoding = options.encoding === 'buffer' || !options.encoding ? null : options.encoding;
    const outChunks = [];
    const errChunks = [];
    let outLen = 0;
    let errLen = 0;
    let killed = false;
    let exited = false;
    let ex = null;
    let timer = null;
    let cmd = file;
    if (args.length > 0) cmd += ' ' + args.join(' ');
    function collected(chunks) {
      return encoding ? chunks.join('') : Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
    }
    function exithandler(code, signal) {
      if (exited) return;
      exited = true;
      if (timer) { clearTimeout(timer); timer = null; }
      if (!callback) return;
      const stdout = collected(outChunks);
      const stderr = collected(errChunks);
      if (!ex && code === 0 && signal === null) {
        callback(null, stdout, stderr);
        return;
      }
      if (!ex) {
        ex = new Error('Command failed: ' + cmd + '\n' + stderr);
        ex.code = code < 0 ? errnoNames[code] || code : code;
        ex.killed = child.killed || killed;
        ex.signal = signal;
      }
      ex.cmd = cmd;
      callback(ex, stdout, stderr);
    }
    function errorhandler(e) {
      ex = e;
      if (child.stdout) child.stdout.destroy();
      if (child.stderr) child.stderr.destroy();
      exithandler();
    }
    function kill() {
      if (child.stdout) child.stdout.destroy();
      if (child.stderr) child.stderr.destroy();
      killed = true;
      try {
        child.kill(options.killSignal);
      } catch (e) {
        ex = e;
        exithandler();
      }
    }
    if (options.timeout > 0) {
      timer = setTimeout(() => { kill(); timer = null; }, options.timeout);
    }
    function collect(stream, chunks, name) {
      if (!stream) return;
      if (encoding) stream.setEncoding(encoding);
      stream.on('data', (chunk) => {
        const length = chunk.length;
        if (name === 'stdout') outLen += length; else errLen += length;
        const total = name === 'stdout' ? outLen : errLen;
        if (total > options.maxBuffer) {
          const keep = options.maxBuffer - (total - length);
          chunks.push(chunk.slice(0, keep));
          ex = nodeError(RangeError, 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER', name + ' maxBuffer length exceeded');
          kill();
        } else {
          chunks.push(chunk);
        }
      });
    }
    collect(child.stdout, outChunks, 'stdout');
    collect(child.stderr, errChunks, 'stderr');
    child.addListener('close', exithandler);
    child.addListener('error', errorhandler);
    return child;
  }
  function exec(command, options, callback) {
    if (typeof options === 'function') { callback = options; options = undefined; }
    validateString(command, 'command');
    options = { ...options };
    options.shell = typeof options.shell === 'string' ? options.shell : true;
    return execFile(command, [], options, callback);
  }
  for (const f of [exec, execFile]) {
    Object.defineProperty(f, customPromisify, {
      enumerable: false,
      value: function (...args) {
        let child;
        const promise = new Promise((resolve, reject) => {
          child = f(...args, (err, stdout, stderr) => {
            if (err !== null) {
              err.stdout = stdout;
              err.stderr = stderr;
              reject(err);
            } else {
              resolve({ stdout, stderr });
            }
          });
        });
        promise.child = child;
        return promise;
      },
    });
  }

  function spawnSync(file, args, options) {
    const n = normalizeSpawnArguments(file, args, options);
    const input = n.options.input;
    const result = cp.spawnSync(n.file, n.args, {
      cwd: n.cwd, env: n.envPairs, stdio: n.modes,
      input: input === undefined || input === null ? undefined : String(input),
    });
    if (typeof result === 'number') {
      const error = errnoException(result, 'spawnSync ' + n.file, n.file, n.args);
      return { error, status: null, signal: null, output: null, pid: 0, stdout: null, stderr: null };
    }
    const encoding = n.options.encoding && n.options.encoding !== 'buffer' ? n.options.encoding : null;
    const as = (text) => (encoding ? text : Buffer.from(text));
    const stdout = n.modes[1] === 'pipe' ? as(result[2]) : null;
    const stderr = n.modes[2] === 'pipe' ? as(result[3]) : null;
    return { status: result[0], signal: result[1], output: [null, stdout, stderr], pid: result[4], stdout, stderr };
  }
  function checkExecSyncError(ret, cmd) {
    if (ret.error) return Object.assign(ret.error, ret);
    if (ret.status === 0) return null;
    let message = 'Command failed: ' + cmd;
    if (ret.stderr && ret.stderr.length > 0) message += '\n' + ret.stderr.toString();
    return Object.assign(new Error(message), ret);
  }
  function execSyncWith(file, args, options, cmd) {
    const inheritStderr = !options.stdio;
    const ret = spawnSync(file, args, inheritStderr ? { ...options, stdio: ['pipe', 'pipe', 'pipe'] } : options);
    if (inheritStderr && ret.stderr && ret.stderr.length > 0) process.stderr.write(ret.stderr);
    const err = checkExecSyncError(ret, cmd);
    if (err) throw err;
    return ret.stdout;
  }
  function execSync(command, options) {
    validateString(command, 'command');
    options = { ...options };
    return execSyncWith(typeof options.shell === 'string' ? options.shell : '/bin/sh', ['-c', command], options, command);
  }
  function execFileSync(file, args, options) {
    if (!Array.isArray(args)) { options = args; args = []; }
    options = { ...options };
    return execSyncWith(file, args, options, [file, ...args].join(' '));
  }

  // News from the machine (host/child_process.rs `proc_message`).
  function dispatch(target, kind, a, b) {
    switch (kind) {
      case 1: target.emit(kOnline); break;
      case 2: { const s = a === 1 ? target.stdout : target.stderr; if (s) s._push(b); break; }
      case 3: { const s = a === 1 ? target.stdout : target.stderr; if (s) s._push(null); break; }
      case 4: {
        if (!target.connected) break;
        const message = b ? a : JSON.parse(a);
        const internal = message !== null && typeof message === 'object' && message.cmd === 'NODE_CLUSTER';
        process.nextTick(() => target.emit(internal ? 'internalMessage' : 'message', message));
        break;
      }
      case 5:
        if (target.connected) {
          target.connected = false;
          if (target === process) cp.ref(process[kPort], false);
          process.nextTick(() => target.emit('disconnect'));
        }
        break;
      case 6: onExit(target, a, b); break;
      case 7: process.emit(a, a); break;
    }
  }

  // cluster, on top of fork: built on the first require('cluster'), or at start-up in a
  // worker (a child forked with NODE_UNIQUE_ID in its environment, which it then loses).
  // Internal messages ({ cmd: 'NODE_CLUSTER' }) are 'internalMessage' events, not 'message'.
  // A worker's server is shared: its `listen` asks the primary (`queryServer`), whose
  // round-robin handle (the prelude's `netModule`) owns the port and hands connections over.
  let clusterModule = null;
  function internalSend(owner, port, message, callback) {
    return ipcSend(owner, port, { cmd: 'NODE_CLUSTER', ...message }, undefined, undefined, callback);
  }
  class Worker extends EventEmitter {
    constructor(options) {
      super();
      this.exitedAfterDisconnect = undefined;
      this.state = options.state || 'none';
      this.id = options.id | 0;
      if (options.process) {
        this.process = options.process;
        this.process.on('error', (code, signal) => this.emit('error', code, signal));
        this.process.on('message', (message, handle) => this.emit('message', message, handle));
      }
    }
    isDead() { return this.process.exitCode != null || this.process.signalCode != null; }
    isConnected() { return this.process.connected; }
    send(...args) { return this.process.send(...args); }
    disconnect() {
      if (clusterModule.isPrimary) {
        this.exitedAfterDisconnect = true;
        internalSend(this.process, this.process[kPort], { act: 'disconnect' });
        clusterModule._removeWorker(this);
      } else if (this.state !== 'disconnecting' && this.state !== 'destroying') {
        this.state = 'disconnecting';
        workerDisconnect(this, false);
      }
      return this;
    }
    destroy(signal) {
      if (clusterModule.isPrimary) {
        const child = this.process;
        signal = signal || 'SIGTERM';
        if (this.isConnected()) {
          this.once('disconnect', () => child.kill(signal));
          this.disconnect();
          return;
        }
        child.kill(signal);
        return;
      }
      if (this.state === 'destroying') return;
      this.exitedAfterDisconnect = true;
      if (!this.isConnected()) {
        process.exit(0);
      } else {
        this.state = 'destroying';
        internalSend(process, process[kPort], { act: 'exitedAfterDisconnect' }, () => process.disconnect());
        process.once('disconnect', () => process.exit(0));
      }
    }
    kill(signal) { return this.destroy(signal); }
  }
  // A worker leaves the cluster: it tells the primary, then closes its channel.
  function workerDisconnect(worker, primaryInitiated) {
    worker.exitedAfterDisconnect = true;
    if (primaryInitiated) process.disconnect();
    else internalSend(process, process[kPort], { act: 'exitedAfterDisconnect' }, () => process.disconnect());
  }
  function makeCluster(workerId) {
    const cluster = new EventEmitter();
    const isWorker = workerId !== undefined;
    cluster.isWorker = isWorker;
    cluster.isMaster = !isWorker;
    cluster.isPrimary = !isWorker;
    cluster.Worker = Worker;
    clusterModule = cluster;
    if (isWorker) {
      const worker = new Worker({ id: +workerId | 0, process, state: 'online' });
      cluster.worker = worker;
      process.once('disconnect', () => {
        worker.emit('disconnect');
        if (!worker.exitedAfterDisconnect) process.exit(0);
      });
      // shared servers: listen asks the primary, which hands connections over
      const replies = new Map();
      const shared = new Map();
      let seq = 0;
      const request = (message, cb) => {
        replies.set(++seq, cb);
        internalSend(process, process[kPort], { ...message, seq });
      };
      Object.defineProperty(cluster, '_getServer', {
        value: function getServer(server, port, proto, done) {
          const key = proto + ':' + port;
          server.once('listening', () => {
            worker.state = 'listening';
            internalSend(process, process[kPort], { act: 'listening', port: server.address().port, address: null, addressType: 4, key });
          });
          request({ act: 'queryServer', key, port, proto, address: null, addressType: 4 }, (reply) => {
            if (reply.errno) {
              const e = new Error('bind EADDRINUSE null:' + port);
              Object.assign(e, { errno: reply.errno, code: 'EADDRINUSE', syscall: 'bind', address: null, port });
              done(e);
              return;
            }
            shared.set(key, server);
            server._shared = key;
            done(null, reply.port);
          });
        },
      });
      Object.defineProperty(cluster, '_closeServer', {
        value: function closeServer(server) {
          shared.delete(server._shared);
          request({ act: 'close', key: server._shared }, () => {});
          server._shared = false;
        },
      });
      process.on('internalMessage', (message) => {
        if (message.ack !== undefined && replies.has(message.ack)) {
          const cb = replies.get(message.ack);
          replies.delete(message.ack);
          cb(message);
        } else if (message.act === 'newconn') {
          const server = shared.get(message.key);
          const accepted = server !== undefined;
          internalSend(process, process[kPort], { ack: message.seq, accepted });
          if (accepted) server._onNet(1, message.conn);
        } else if (message.act === 'disconnect') {
          workerDisconnect(worker, true);
        }
      });
      return cluster;
    }
    const intercom = new EventEmitter();
    // the listening sockets the workers share, by key (round-robin handles)
    const handles = new Map();
    const removeHandlesOf = (worker) => {
      for (const [key, handle] of handles) if (handle.remove(worker)) handles.delete(key);
    };
    let ids = 0;
    let initialized = false;
    cluster.workers = {};
    cluster.settings = {};
    cluster.SCHED_NONE = 1;
    cluster.SCHED_RR = 2;
    cluster.schedulingPolicy = 2;
    cluster.setupPrimary = function setupPrimary(options) {
      const settings = {
        args: process.argv.slice(2), exec: process.argv[1], execArgv: process.execArgv, silent: false,
        ...cluster.settings, ...options,
      };
      cluster.settings = settings;
      if (initialized) {
        process.nextTick(() => cluster.emit('setup', settings));
        return;
      }
      initialized = true;
      process.nextTick(() => cluster.emit('setup', settings));
    };
    cluster.setupMaster = cluster.setupPrimary;
    Object.defineProperty(cluster, '_removeWorker', {
      value: function removeWorker(worker) {
        delete cluster.workers[worker.id];
        if (Object.keys(cluster.workers).length === 0) intercom.emit('disconnect');
      },
    });
    cluster.fork = function fork(env) {
      cluster.setupPrimary();
      const id = ++ids;
      const s = cluster.settings;
      const child = forkProcess(s.exec, s.args, {
        cwd: s.cwd, env: { ...process.env, ...env, NODE_UNIQUE_ID: String(id) },
        serialization: s.serialization, silent: s.silent, execArgv: s.execArgv, stdio: s.stdio,
      });
      const worker = new Worker({ id, process: child });
      worker.on('message', function (message, handle) { cluster.emit('message', this, message, handle); });
      child.once('exit', (code, signal) => {
        removeHandlesOf(worker);
        if (!worker.isConnected()) cluster._removeWorker(worker);
        worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
        worker.state = 'dead';
        worker.emit('exit', code, signal);
        cluster.emit('exit', worker, code, signal);
      });
      child.once('disconnect', () => {
        removeHandlesOf(worker);
        if (worker.isDead()) cluster._removeWorker(worker);
        worker.exitedAfterDisconnect = !!worker.exitedAfterDisconnect;
        worker.state = 'disconnected';
        worker.emit('disconnect');
        cluster.emit('disconnect', worker);
      });
      child.once(kOnline, () => {
        worker.state = 'online';
        worker.emit('online');
        cluster.emit('online', worker);
      });
      const replies = new Map();
      let seq = 0;
      Object.defineProperty(worker, '_handoff', {
        value: function handoff(message, conn, cb) {
          replies.set(++seq, cb);
          ipcSend(child, child[kPort], { cmd: 'NODE_CLUSTER', ...message, seq, conn }, conn);
        },
      });
      child.on('internalMessage', (message) => {
        if (message.ack !== undefined) {
          const cb = replies.get(message.ack);
          replies.delete(message.ack);
          if (cb) cb(message);
        } else if (message.act === 'exitedAfterDisconnect') {
          worker.exitedAfterDisconnect = true;
        } else if (message.act === 'queryServer') {
          const key = message.key;
          let handle = handles.get(key);
          if (handle === undefined) {
            handle = new (require('net')._RoundRobinHandle)(key, message.port, message.proto);
            handles.set(key, handle);
          }
          handle.add(worker, (errno, port) => {
            if (errno) handles.delete(key);
            internalSend(child, child[kPort], { ack: message.seq, errno, port, key });
          });
        } else if (message.act === 'listening') {
          worker.state = 'listening';
          const info = { addressType: message.addressType, address: message.address, port: message.port, fd: undefined };
          worker.emit('listening', info);
          cluster.emit('listening', worker, info);
        } else if (message.act === 'close') {
          const handle = handles.get(message.key);
          if (handle !== undefined && handle.remove(worker)) handles.delete(message.key);
          internalSend(child, child[kPort], { ack: message.seq });
        }
      });
      process.nextTick(() => cluster.emit('fork', worker));
      cluster.workers[worker.id] = worker;
      return worker;
    };
    cluster.disconnect = function disconnect(callback) {
      const ids = Object.keys(cluster.workers);
      if (ids.length === 0) process.nextTick(() => intercom.emit('disconnect'));
      else for (const id of ids) cluster.workers[id].disconnect();
      if (typeof callback === 'function') intercom.once('disconnect', callback);
    };
    return cluster;
  }
  function getCluster() {
    return clusterModule || makeCluster(undefined);
  }

  // A Node child's `process`: its end of the channel (IPC when `ipc`), and the signals it
  // listens for (the machine delivers those instead of ending it).
  function setupChild(port, ipc, advanced) {
    Object.defineProperty(process, kPort, { value: port });
    cp.bind(port, process);
    const isSignal = (name) => typeof name === 'string' && /^SIG[A-Z0-9]+$/.test(name);
    const keeps = (name) => ipc && (name === 'message' || name === 'disconnect');
    Object.defineProperty(process, '_add', {
      value: function (name, listener, prepend, once) {
        EventEmitter.prototype._add.call(this, name, listener, prepend, once);
        if (keeps(name) && process.connected) cp.ref(port, true);
        if (isSignal(name)) cp.handle(port, name, true);
        return this;
      },
    });
    Object.defineProperty(process, 'removeListener', {
      value: function (name, listener) {
        EventEmitter.prototype.removeListener.call(this, name, listener);
        if (keeps(name) && process.listenerCount('message') + process.listenerCount('disconnect') === 0) cp.ref(port, false);
        if (isSignal(name) && process.listenerCount(name) === 0) cp.handle(port, name, false);
        return this;
      },
    });
    if (!ipc) return;
    Object.defineProperty(process, kAdvanced, { value: advanced });
    process.connected = true;
    process.channel = {
      ref() { cp.ref(port, true); },
      unref() { cp.ref(port, false); },
    };
    process.send = function send(message, handle, options, callback) {
      return ipcSend(process, port, message, handle, options, callback);
    };
    process.disconnect = function disconnect() { ipcDisconnect(process, port); };
    const workerId = process.env.NODE_UNIQUE_ID;
    if (workerId !== undefined) {
      delete process.env.NODE_UNIQUE_ID;
      makeCluster(workerId);
    }
  }

  return {
    module: {
      ChildProcess, exec, execFile, execFileSync, execSync, fork: forkProcess, spawn, spawnSync,
      _forkChild: undefined,
    },
    dispatch,
    setupChild,
    cluster: getCluster,
  };
};

// ---------- stream (and stream/promises)
// Built on the first `require('stream')` (host/stream.rs), so programs that do not use
// streams run none of this. A re-implementation of Node 20's lib/internal/streams with the
// same algorithm, so events fire in the same order relative to process.nextTick, promise
// jobs and the loop's phases: Readable (paused/flowing, 'readable', pipe, async iteration,
// Readable.from), Writable (buffering, backpressure, 'drain', _final, 'finish'), Duplex,
// Transform, PassThrough, destroy, finished (end-of-stream) and pipeline. State is kept in
// plain boolean fields where Node packs bits; `construct`, `signal` and web streams are not
// modelled (refused with "unsupported").
exports.stream = function stream() {
  const nop = () => {};
  function unsupported(what) {
    return new Error('unsupported: ' + what + ' (the simulator does not model it)');
  }
  // Node's internal errors: `code` own property, "Name [CODE]: message" in stack and toString.
  function nodeError(Base, code, message) {
    const e = new Base(message);
    e.code = code;
    const name = e.name;
    if (typeof e.stack === 'string' && e.stack.startsWith(name + ':')) {
      e.stack = name + ' [' + code + ']' + e.stack.slice(name.length);
    }
    Object.defineProperty(e, 'toString', {
      value: function toString() { return name + ' [' + code + ']: ' + this.message; },
      writable: true,
      configurable: true,
    });
    return e;
  }
  function describeReceived(value) {
    if (value == null) return String(value);
    if (typeof value === 'function') return 'function ' + value.name;
    if (typeof value === 'object') {
      if (value.constructor && value.constructor.name) return 'an instance of ' + value.constructor.name;
      return require('util').inspect(value, { depth: -1 });
    }
    let shown = require('util').inspect(value);
    if (shown.length > 28) shown = shown.slice(0, 25) + '...';
    return 'type ' + typeof value + ' (' + shown + ')';
  }
  function invalidArgType(name, expected, value) {
    return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "' + name + '" argument must be ' + expected + '. Received ' + describeReceived(value));
  }
  const errors = {
    methodNotImplemented: (m) => nodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'The ' + m + ' method is not implemented'),
    multipleCallback: () => nodeError(Error, 'ERR_MULTIPLE_CALLBACK', 'Callback called multiple times'),
    alreadyFinished: (m) => nodeError(Error, 'ERR_STREAM_ALREADY_FINISHED', 'Cannot call ' + m + ' after a stream was finished'),
    cannotPipe: () => nodeError(Error, 'ERR_STREAM_CANNOT_PIPE', 'Cannot pipe, not readable'),
    destroyed: (m) => nodeError(Error, 'ERR_STREAM_DESTROYED', 'Cannot call ' + m + ' after a stream was destroyed'),
    nullValues: () => nodeError(TypeError, 'ERR_STREAM_NULL_VALUES', 'May not write null values to stream'),
    prematureClose: () => nodeError(Error, 'ERR_STREAM_PREMATURE_CLOSE', 'Premature close'),
    pushAfterEof: () => nodeError(Error, 'ERR_STREAM_PUSH_AFTER_EOF', 'stream.push() after EOF'),
    unshiftAfterEnd: () => nodeError(Error, 'ERR_STREAM_UNSHIFT_AFTER_END_EVENT', 'stream.unshift() after end event'),
    writeAfterEnd: () => nodeError(Error, 'ERR_STREAM_WRITE_AFTER_END', 'write after end'),
    unknownEncoding: (enc) => nodeError(TypeError, 'ERR_UNKNOWN_ENCODING', 'Unknown encoding: ' + enc),
    missingArgs: (name) => nodeError(TypeError, 'ERR_MISSING_ARGS', 'The "' + name + '" argument must be specified'),
  };
  class AbortError extends Error {
    constructor(message = 'The operation was aborted', options = undefined) {
      super(message, options);
      this.code = 'ABORT_ERR';
      this.name = 'AbortError';
    }
  }
  function aggregateTwoErrors(inner, outer) {
    if (inner && outer && inner !== outer) {
      if (Array.isArray(outer.errors)) {
        outer.errors.push(inner);
        return outer;
      }
      const err = new AggregateError([outer, inner], outer.message);
      err.code = outer.code;
      return err;
    }
    return inner || outer;
  }
  function once(fn) {
    let called = false;
    return function (...args) {
      if (called) return;
      called = true;
      return fn.apply(this, args);
    };
  }
  function validateFunction(fn, name) {
    if (typeof fn !== 'function') throw invalidArgType(name, 'of type function', fn);
  }
  function isUint8Array(v) { return v instanceof Uint8Array; }
  function toBuffer(chunk) {
    return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }

  // StringDecoder (setEncoding, `encoding` option): keeps the bytes of an incomplete
  // character (utf8, utf16le) or base64 group for the next chunk.
  function normalizeEncoding(enc) {
    const e = String(enc).toLowerCase();
    switch (e) {
      case 'utf8': case 'utf-8': return 'utf8';
      case 'ucs2': case 'ucs-2': case 'utf16le': case 'utf-16le': return 'utf16le';
      case 'latin1': case 'binary': return 'latin1';
      case 'base64': case 'base64url': case 'hex': case 'ascii': return e;
      default: return undefined;
    }
  }
  class Decoder {
    constructor(enc) {
      const e = enc == null ? 'utf8' : normalizeEncoding(enc);
      if (e === undefined) throw errors.unknownEncoding(enc);
      this.encoding = e;
      this.pending = Buffer.alloc(0);
    }
    // How many bytes at the end of `buf` start a character that is not complete yet.
    incomplete(buf) {
      const n = buf.length;
      if (this.encoding === 'utf8') {
        for (let back = 1; back <= 3 && back <= n; back++) {
          const b = buf[n - back];
          if ((b & 0xc0) === 0x80) continue;
          const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
          return need > back ? back : 0;
        }
        return 0;
      }
      if (this.encoding === 'utf16le') return n % 2;
      if (this.encoding === 'base64' || this.encoding === 'base64url') return n % 3;
      return 0;
    }
    write(chunk) {
      if (typeof chunk === 'string') return chunk;
      let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
      const keep = this.incomplete(buf);
      this.pending = keep ? buf.subarray(buf.length - keep) : Buffer.alloc(0);
      if (keep) buf = buf.subarray(0, buf.length - keep);
      return buf.toString(this.encoding);
    }
    end() {
      const rest = this.pending;
      this.pending = Buffer.alloc(0);
      return rest.length ? rest.toString(this.encoding) : '';
    }
  }

  function getHighWaterMark(options, duplexKey, isDuplex, objectMode) {
    let hwm = options.highWaterMark != null ? options.highWaterMark : isDuplex ? options[duplexKey] : null;
    if (hwm != null) {
      if (!Number.isInteger(hwm) || hwm < 0) {
        const name = isDuplex ? 'options.' + duplexKey : 'options.highWaterMark';
        throw nodeError(TypeError, 'ERR_INVALID_ARG_VALUE', "The property '" + name + "' is invalid. Received " + require('util').inspect(hwm));
      }
      return Math.floor(hwm);
    }
    return objectMode ? defaultObjectHighWaterMark : defaultHighWaterMark;
  }
  function refuseUnmodelled(options) {
    if (options && options.construct !== undefined) throw unsupported('the stream option construct');
    if (options && options.signal !== undefined) throw unsupported('the stream option signal');
  }

  // ---- legacy Stream (an EventEmitter with the old pipe)
  // (the prelude's EventEmitter is a class; what its constructor does is eventsOf)
  function Stream(opts) {
    eventsOf(this);
  }
  Object.setPrototypeOf(Stream.prototype, EventEmitter.prototype);
  Object.setPrototypeOf(Stream, EventEmitter);
  // Node's once() adds its wrapper through this.on, so Readable's 'data'/'readable' hooks see it
  Stream.prototype.once = function once(name, listener) {
    if (typeof listener !== 'function') return EventEmitter.prototype.once.call(this, name, listener);
    const self = this;
    let fired = false;
    const entry = function (...args) {
      if (fired) return undefined;
      fired = true;
      self.removeListener(name, entry);
      return listener.apply(this, args);
    };
    entry.listener = listener;
    return this.on(name, entry);
  };
  function prependListener(emitter, event, fn) {
    if (typeof emitter.prependListener === 'function') return emitter.prependListener(event, fn);
    return emitter.on(event, fn);
  }
  Stream.prototype.pipe = function (dest, options) {
    const source = this;
    function ondata(chunk) {
      if (dest.writable && dest.write(chunk) === false && source.pause) source.pause();
    }
    source.on('data', ondata);
    function ondrain() {
      if (source.readable && source.resume) source.resume();
    }
    dest.on('drain', ondrain);
    if (!dest._isStdio && (!options || options.end !== false)) {
      source.on('end', onend);
      source.on('close', onclose);
    }
    let didOnEnd = false;
    function onend() {
      if (didOnEnd) return;
      didOnEnd = true;
      dest.end();
    }
    function onclose() {
      if (didOnEnd) return;
      didOnEnd = true;
      if (typeof dest.destroy === 'function') dest.destroy();
    }
    function onerror(er) {
      cleanup();
      if (this.listenerCount('error') === 0) this.emit('error', er);
    }
    prependListener(source, 'error', onerror);
    prependListener(dest, 'error', onerror);
    function cleanup() {
      source.removeListener('data', ondata);
      dest.removeListener('drain', ondrain);
      source.removeListener('end', onend);
      source.removeListener('close', onclose);
      source.removeListener('error', onerror);
      dest.removeListener('error', onerror);
      source.removeListener('end', cleanup);
      source.removeListener('close', cleanup);
      dest.removeListener('close', cleanup);
    }
    source.on('end', cleanup);
    source.on('close', cleanup);
    dest.on('close', cleanup);
    dest.emit('pipe', source);
    return dest;
  };

  // ---- destroy (lib/internal/streams/destroy.js)
  function checkError(err, w, r) {
    if (err) {
      if (w && !w.errored) w.errored = err;
      if (r && !r.errored) r.errored = err;
    }
  }
  function destroy(err, cb) {
    const r = this._readableState;
    const w = this._writableState;
    if ((w && w.destroyed) || (r && r.destroyed)) {
      if (typeof cb === 'function') cb();
      return this;
    }
    checkError(err, w, r);
    if (w) w.destroyed = true;
    if (r) r.destroyed = true;
    destroyNow(this, err, cb);
    return this;
  }
  function destroyNow(self, err, cb) {
    let called = false;
    function onDestroy(err) {
      if (called) return;
      called = true;
      const r = self._readableState;
      const w = self._writableState;
      checkError(err, w, r);
      if (w) w.closed = true;
      if (r) r.closed = true;
      if (typeof cb === 'function') cb(err);
      if (err) process.nextTick(emitErrorCloseNT, self, err);
      else process.nextTick(emitCloseNT, self);
    }
    try {
      self._destroy(err || null, onDestroy);
    } catch (err) {
      onDestroy(err);
    }
  }
  function emitErrorCloseNT(self, err) {
    emitErrorNT(self, err);
    emitCloseNT(self);
  }
  function emitCloseNT(self) {
    const r = self._readableState;
    const w = self._writableState;
    if (w) w.closeEmitted = true;
    if (r) r.closeEmitted = true;
    if ((w && w.emitClose) || (r && r.emitClose)) self.emit('close');
  }
  function emitErrorNT(self, err) {
    const r = self._readableState;
    const w = self._writableState;
    if ((w && w.errorEmitted) || (r && r.errorEmitted)) return;
    if (w) w.errorEmitted = true;
    if (r) r.errorEmitted = true;
    self.emit('error', err);
  }
  function undestroy() {
    const r = this._readableState;
    const w = this._writableState;
    if (r) {
      r.constructed = true;
      r.closed = false;
      r.closeEmitted = false;
      r.destroyed = false;
      r.errored = null;
      r.errorEmitted = false;
      r.reading = false;
      r.ended = r.readable === false;
      r.endEmitted = r.readable === false;
    }
    if (w) {
      w.constructed = true;
      w.destroyed = false;
      w.closed = false;
      w.closeEmitted = false;
      w.errored = null;
      w.errorEmitted = false;
      w.finalCalled = false;
      w.prefinished = false;
      w.ended = w.writable === false;
      w.ending = w.writable === false;
      w.finished = w.writable === false;
    }
  }
  function errorOrDestroy(stream, err, sync) {
    const r = stream._readableState;
    const w = stream._writableState;
    if ((w && w.destroyed) || (r && r.destroyed)) return;
    if ((r && r.autoDestroy) || (w && w.autoDestroy)) {
      stream.destroy(err);
    } else if (err) {
      if (w && !w.errored) w.errored = err;
      if (r && !r.errored) r.errored = err;
      if (sync) process.nextTick(emitErrorNT, stream, err);
      else emitErrorNT(stream, err);
    }
  }
  // stream.destroy(stream, err): destroys any stream-like object.
  function destroyer(stream, err) {
    if (!stream || isDestroyed(stream)) return;
    if (!err && !isFinished(stream)) err = new AbortError();
    if (typeof stream.destroy === 'function') stream.destroy(err);
    else if (typeof stream.close === 'function') stream.close();
    else if (err) process.nextTick((s, e) => { s.emit('error', e); process.nextTick(() => s.emit('close')); }, stream, err);
    else process.nextTick((s) => s.emit('close'), stream);
    if (!stream.destroyed) stream[kIsDestroyed] = true;
  }

  // ---- predicates (lib/internal/streams/utils.js)
  const kIsDestroyed = Symbol('kIsDestroyed');
  function isReadableNodeStream(obj, strict = false) {
    return !!(obj && typeof obj.pipe === 'function' && typeof obj.on === 'function' &&
      (!strict || (typeof obj.pause === 'function' && typeof obj.resume === 'function')) &&
      (!obj._writableState || (obj._readableState && obj._readableState.readable) !== false) &&
      (!obj._writableState || obj._readableState));
  }
  function isWritableNodeStream(obj) {
    return !!(obj && typeof obj.write === 'function' && typeof obj.on === 'function' &&
      (!obj._readableState || (obj._writableState && obj._writableState.writable) !== false));
  }
  function isNodeStream(obj) {
    return !!(obj && (obj._readableState || obj._writableState ||
      (typeof obj.write === 'function' && typeof obj.on === 'function') ||
      (typeof obj.pipe === 'function' && typeof obj.on === 'function')));
  }
  function isIterable(obj, isAsync) {
    if (obj == null) return false;
    if (isAsync === true) return typeof obj[Symbol.asyncIterator] === 'function';
    if (isAsync === false) return typeof obj[Symbol.iterator] === 'function';
    return typeof obj[Symbol.asyncIterator] === 'function' || typeof obj[Symbol.iterator] === 'function';
  }
  function isDestroyed(stream) {
    if (!isNodeStream(stream)) return null;
    const state = stream._writableState || stream._readableState;
    return !!(stream.destroyed || stream[kIsDestroyed] || (state && state.destroyed));
  }
  function isWritableEnded(stream) {
    if (!isWritableNodeStream(stream)) return null;
    if (stream.writableEnded === true) return true;
    const w = stream._writableState;
    if (w && w.errored) return false;
    if (!w || typeof w.ended !== 'boolean') return null;
    return w.ended;
  }
  function isWritableFinished(stream, strict) {
    if (!isWritableNodeStream(stream)) return null;
    if (stream.writableFinished === true) return true;
    const w = stream._writableState;
    if (w && w.errored) return false;
    if (!w || typeof w.finished !== 'boolean') return null;
    return !!(w.finished || (strict === false && w.ended === true && w.length === 0));
  }
  function isReadableFinished(stream, strict) {
    if (!isReadableNodeStream(stream)) return null;
    const r = stream._readableState;
    if (r && r.errored) return false;
    if (!r || typeof r.endEmitted !== 'boolean') return null;
    return !!(r.endEmitted || (strict === false && r.ended === true && r.length === 0));
  }
  function isReadable(stream) {
    if (!stream || typeof stream.readable !== 'boolean') return null;
    if (isDestroyed(stream)) return false;
    return isReadableNodeStream(stream) && stream.readable && !isReadableFinished(stream);
  }
  function isWritable(stream) {
    if (!stream || typeof stream.writable !== 'boolean') return null;
    if (isDestroyed(stream)) return false;
    return isWritableNodeStream(stream) && stream.writable && !isWritableEnded(stream);
  }
  function isFinished(stream, opts) {
    if (!isNodeStream(stream)) return null;
    if (isDestroyed(stream)) return true;
    if ((!opts || opts.readable !== false) && isReadable(stream)) return false;
    if ((!opts || opts.writable !== false) && isWritable(stream)) return false;
    return true;
  }
  function isWritableErrored(stream) {
    if (!isNodeStream(stream)) return null;
    if (stream.writableErrored) return stream.writableErrored;
    const w = stream._writableState;
    return w && w.errored != null ? w.errored : null;
  }
  function isReadableErrored(stream) {
    if (!isNodeStream(stream)) return null;
    if (stream.readableErrored) return stream.readableErrored;
    const r = stream._readableState;
    return r && r.errored != null ? r.errored : null;
  }
  function isClosed(stream) {
    if (!isNodeStream(stream)) return null;
    if (typeof stream.closed === 'boolean') return stream.closed;
    const w = stream._writableState;
    const r = stream._readableState;
    if ((w && typeof w.closed === 'boolean') || (r && typeof r.closed === 'boolean')) {
      return (w && w.closed) || (r && r.closed);
    }
    return null;
  }
  function willEmitClose(stream) {
    if (!isNodeStream(stream)) return null;
    const state = stream._writableState || stream._readableState;
    return !!(state && state.autoDestroy && state.emitClose && state.closed === false);
  }
  function isDisturbed(stream) {
    return !!(stream && (stream.readableDidRead || stream.readableAborted));
  }
  function isErrored(stream) {
    if (!stream) return false;
    const r = stream._readableState;
    const w = stream._writableState;
    const pick = [stream.readableErrored, stream.writableErrored, r && r.errorEmitted, w && w.errorEmitted, r && r.errored, w && w.errored];
    for (const v of pick) if (v != null) return !!v;
    return false;
  }

  // ---- Readable (lib/internal/streams/readable.js)
  function ReadableState(options, stream, isDuplex) {
    this.objectMode = !!(options && (options.objectMode || (isDuplex && options.readableObjectMode)));
    this.highWaterMark = getHighWaterMark(options || {}, 'readableHighWaterMark', isDuplex, this.objectMode);
    this.buffer = [];
    this.length = 0;
    this.pipes = [];
    this.flowing = null;
    this.ended = false;
    this.endEmitted = false;
    this.reading = false;
    this.constructed = true;
    this.sync = true;
    this.needReadable = false;
    this.emittedReadable = false;
    this.readableListening = false;
    this.resumeScheduled = false;
    this.errorEmitted = false;
    this.emitClose = !(options && options.emitClose === false);
    this.autoDestroy = !(options && options.autoDestroy === false);
    this.destroyed = false;
    this.errored = null;
    this.closed = false;
    this.closeEmitted = false;
    const defaultEncoding = options && options.defaultEncoding;
    if (defaultEncoding == null || normalizeEncoding(defaultEncoding) === 'utf8') this.defaultEncoding = 'utf8';
    else if (Buffer.isEncoding(defaultEncoding)) this.defaultEncoding = defaultEncoding;
    else throw errors.unknownEncoding(defaultEncoding);
    this.awaitDrainWriters = null;
    this.multiAwaitDrain = false;
    this.readingMore = false;
    this.dataEmitted = false;
    this.decoder = null;
    this.encoding = null;
    this.paused = null;
    this.dataListening = false;
    if (options && options.encoding) {
      this.decoder = new Decoder(options.encoding);
      this.encoding = this.decoder.encoding;
    }
  }
  Object.defineProperty(ReadableState.prototype, 'pipesCount', { get() { return this.pipes.length; } });

  function Readable(options) {
    if (!(this instanceof Readable)) return new Readable(options);
    refuseUnmodelled(options);
    this._readableState = new ReadableState(options, this, false);
    if (options) {
      if (typeof options.read === 'function') this._read = options.read;
      if (typeof options.destroy === 'function') this._destroy = options.destroy;
    }
    Stream.call(this, options);
  }
  Object.setPrototypeOf(Readable.prototype, Stream.prototype);
  Object.setPrototypeOf(Readable, Stream);
  Readable.ReadableState = ReadableState;
  Readable.prototype.destroy = destroy;
  Readable.prototype._undestroy = undestroy;
  Readable.prototype._destroy = function (err, cb) {
    cb(err);
  };
  Readable.prototype.push = function (chunk, encoding) {
    return readableAddChunk(this, chunk, encoding, false);
  };
  Readable.prototype.unshift = function (chunk, encoding) {
    return readableAddChunk(this, chunk, encoding, true);
  };
  function readableAddChunk(stream, chunk, encoding, addToFront) {
    const state = stream._readableState;
    let err;
    if (chunk === null) {
      state.reading = false;
      onEofChunk(stream, state);
      return false;
    }
    if (!state.objectMode) {
      if (typeof chunk === 'string') {
        encoding = encoding || state.defaultEncoding;
        if (state.encoding !== encoding) {
          if (addToFront && state.encoding) {
            chunk = Buffer.from(chunk, encoding).toString(state.encoding);
          } else {
            chunk = Buffer.from(chunk, encoding);
            encoding = '';
          }
        }
      } else if (chunk instanceof Buffer) {
        encoding = '';
      } else if (ArrayBuffer.isView(chunk)) {
        chunk = toBuffer(chunk);
        encoding = '';
      } else if (chunk !== undefined) {
        err = invalidArgType('chunk', 'of type string or an instance of Buffer, TypedArray, or DataView', chunk);
      }
    }
    if (err) {
      errorOrDestroy(stream, err);
    } else if (state.objectMode || (chunk && chunk.length > 0)) {
      if (addToFront) {
        if (state.endEmitted) errorOrDestroy(stream, errors.unshiftAfterEnd());
        else if (state.destroyed || state.errored) return false;
        else addChunk(stream, state, chunk, true);
      } else if (state.ended) {
        errorOrDestroy(stream, errors.pushAfterEof());
      } else if (state.destroyed || state.errored) {
        return false;
      } else {
        state.reading = false;
        if (state.decoder && !encoding) {
          chunk = state.decoder.write(chunk);
          if (state.objectMode || chunk.length !== 0) addChunk(stream, state, chunk, false);
          else maybeReadMore(stream, state);
        } else {
          addChunk(stream, state, chunk, false);
        }
      }
    } else if (!addToFront) {
      state.reading = false;
      maybeReadMore(stream, state);
    }
    return !state.ended && (state.length < state.highWaterMark || state.length === 0);
  }
  function addChunk(stream, state, chunk, addToFront) {
    if (state.flowing === true && !state.sync && state.dataListening && state.length === 0) {
      if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
      else state.awaitDrainWriters = null;
      state.dataEmitted = true;
      stream.emit('data', chunk);
    } else {
      state.length += state.objectMode ? 1 : chunk.length;
      if (addToFront) state.buffer.unshift(chunk);
      else state.buffer.push(chunk);
      if (state.needReadable) emitReadable(stream);
    }
    maybeReadMore(stream, state);
  }
  Readable.prototype.isPaused = function () {
    const state = this._readableState;
    return state.paused === true || state.flowing === false;
  };
  Readable.prototype.setEncoding = function (enc) {
    const state = this._readableState;
    const decoder = new Decoder(enc);
    state.decoder = decoder;
    state.encoding = decoder.encoding;
    let content = '';
    for (const data of state.buffer) content += decoder.write(data);
    state.buffer = [];
    if (content !== '') state.buffer.push(content);
    state.length = content.length;
    return this;
  };
  function computeNewHighWaterMark(n) {
    if (n > 0x40000000) {
      throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "size" is out of range. It must be <= 1GiB. Received ' + n);
    }
    n--;
    n |= n >>> 1;
    n |= n >>> 2;
    n |= n >>> 4;
    n |= n >>> 8;
    n |= n >>> 16;
    n++;
    return n;
  }
  function howMuchToRead(n, state) {
    if (n <= 0 || (state.length === 0 && state.ended)) return 0;
    if (state.objectMode) return 1;
    if (Number.isNaN(n)) {
      if (state.flowing === true && state.length) return state.buffer[0].length;
      return state.length;
    }
    if (n <= state.length) return n;
    return state.ended ? state.length : 0;
  }
  Readable.prototype.read = function (n) {
    if (n === undefined) n = NaN;
    else if (!Number.isInteger(n)) n = Number.parseInt(n, 10);
    const state = this._readableState;
    const nOrig = n;
    if (n > state.highWaterMark) state.highWaterMark = computeNewHighWaterMark(n);
    if (n !== 0) state.emittedReadable = false;
    if (n === 0 && state.needReadable &&
        ((state.highWaterMark !== 0 ? state.length >= state.highWaterMark : state.length > 0) || state.ended)) {
      if (state.length === 0 && state.ended) endReadable(this);
      else emitReadable(this);
      return null;
    }
    n = howMuchToRead(n, state);
    if (n === 0 && state.ended) {
      if (state.length === 0) endReadable(this);
      return null;
    }
    let doRead = state.needReadable;
    if (state.length === 0 || state.length - n < state.highWaterMark) doRead = true;
    if (state.ended || state.reading || state.destroyed || state.errored || !state.constructed) {
      doRead = false;
    } else if (doRead) {
      state.reading = true;
      state.sync = true;
      if (state.length === 0) state.needReadable = true;
      try {
        this._read(state.highWaterMark);
      } catch (err) {
        errorOrDestroy(this, err);
      }
      state.sync = false;
      if (!state.reading) n = howMuchToRead(nOrig, state);
    }
    let ret;
    if (n > 0) ret = fromList(n, state);
    else ret = null;
    if (ret === null) {
      state.needReadable = state.needReadable || state.length <= state.highWaterMark;
      n = 0;
    } else {
      state.length -= n;
      if (state.multiAwaitDrain) state.awaitDrainWriters.clear();
      else state.awaitDrainWriters = null;
    }
    if (state.length === 0) {
      if (!state.ended) state.needReadable = true;
      if (nOrig !== n && state.ended) endReadable(this);
    }
    if (ret !== null && !state.errorEmitted && !state.closeEmitted) {
      state.dataEmitted = true;
      this.emit('data', ret);
    }
    return ret;
  };
  function onEofChunk(stream, state) {
    if (state.ended) return;
    if (state.decoder) {
      const chunk = state.decoder.end();
      if (chunk && chunk.length) {
        state.buffer.push(chunk);
        state.length += state.objectMode ? 1 : chunk.length;
      }
    }
    state.ended = true;
    if (state.sync) {
      emitReadable(stream);
    } else {
      state.needReadable = false;
      state.emittedReadable = true;
      emitReadableNT(stream);
    }
  }
  function emitReadable(stream) {
    const state = stream._readableState;
    state.needReadable = false;
    if (!state.emittedReadable) {
      state.emittedReadable = true;
      process.nextTick(emitReadableNT, stream);
    }
  }
  function emitReadableNT(stream) {
    const state = stream._readableState;
    if (!state.destroyed && !state.errored && (state.length || state.ended)) {
      stream.emit('readable');
      state.emittedReadable = false;
    }
    if (state.flowing !== true && !state.ended && state.length <= state.highWaterMark) state.needReadable = true;
    flow(stream);
  }
  function maybeReadMore(stream, state) {
    if (!state.readingMore && state.constructed) {
      state.readingMore = true;
      process.nextTick(maybeReadMoreNT, stream, state);
    }
  }
  function maybeReadMoreNT(stream, state) {
    while (!state.reading && !state.ended &&
           (state.length < state.highWaterMark || (state.flowing === true && state.length === 0))) {
      const len = state.length;
      stream.read(0);
      if (len === state.length) break;
    }
    state.readingMore = false;
  }
  Readable.prototype._read = function (n) {
    throw errors.methodNotImplemented('_read()');
  };
  Readable.prototype.pipe = function (dest, pipeOpts) {
    const src = this;
    const state = this._readableState;
    if (state.pipes.length === 1 && !state.multiAwaitDrain) {
      state.multiAwaitDrain = true;
      state.awaitDrainWriters = new Set(state.awaitDrainWriters ? [state.awaitDrainWriters] : []);
    }
    state.pipes.push(dest);
    const doEnd = (!pipeOpts || pipeOpts.end !== false) && dest._isStdio !== true;
    const endFn = doEnd ? onend : unpipe;
    if (state.endEmitted) process.nextTick(endFn);
    else src.once('end', endFn);
    dest.on('unpipe', onunpipe);
    function onunpipe(readable, unpipeInfo) {
      if (readable === src && unpipeInfo && unpipeInfo.hasUnpiped === false) {
        unpipeInfo.hasUnpiped = true;
        cleanup();
      }
    }
    function onend() {
      dest.end();
    }
    let ondrain;
    let cleanedUp = false;
    function cleanup() {
      dest.removeListener('close', onclose);
      dest.removeListener('finish', onfinish);
      if (ondrain) dest.removeListener('drain', ondrain);
      dest.removeListener('error', onerror);
      dest.removeListener('unpipe', onunpipe);
      src.removeListener('end', onend);
      src.removeListener('end', unpipe);
      src.removeListener('data', ondata);
      cleanedUp = true;
      if (ondrain && state.awaitDrainWriters && (!dest._writableState || dest._writableState.needDrain)) ondrain();
    }
    function pause() {
      if (!cleanedUp) {
        if (state.pipes.length === 1 && state.pipes[0] === dest) {
          state.awaitDrainWriters = dest;
          state.multiAwaitDrain = false;
        } else if (state.pipes.length > 1 && state.pipes.includes(dest)) {
          state.awaitDrainWriters.add(dest);
        }
        src.pause();
      }
      if (!ondrain) {
        ondrain = pipeOnDrain(src, dest);
        dest.on('drain', ondrain);
      }
    }
    src.on('data', ondata);
    function ondata(chunk) {
      const ret = dest.write(chunk);
      if (ret === false) pause();
    }
    function onerror(er) {
      unpipe();
      dest.removeListener('error', onerror);
      if (dest.listenerCount('error') === 0) {
        const s = dest._writableState || dest._readableState;
        if (s && !s.errorEmitted) errorOrDestroy(dest, er);
        else dest.emit('error', er);
      }
    }
    prependListener(dest, 'error', onerror);
    function onclose() {
      dest.removeListener('finish', onfinish);
      unpipe();
    }
    dest.once('close', onclose);
    function onfinish() {
      dest.removeListener('close', onclose);
      unpipe();
    }
    dest.once('finish', onfinish);
    function unpipe() {
      src.unpipe(dest);
    }
    dest.emit('pipe', src);
    if (dest.writableNeedDrain === true) pause();
    else if (state.flowing !== true) src.resume();
    return dest;
  };
  function pipeOnDrain(src, dest) {
    return function pipeOnDrainFunctionResult() {
      const state = src._readableState;
      if (state.awaitDrainWriters === dest) state.awaitDrainWriters = null;
      else if (state.multiAwaitDrain) state.awaitDrainWriters.delete(dest);
      if ((!state.awaitDrainWriters || state.awaitDrainWriters.size === 0) && state.dataListening) src.resume();
    };
  }
  Readable.prototype.unpipe = function (dest) {
    const state = this._readableState;
    const unpipeInfo = { hasUnpiped: false };
    if (state.pipes.length === 0) return this;
    if (!dest) {
      const dests = state.pipes;
      state.pipes = [];
      this.pause();
      for (let i = 0; i < dests.length; i++) dests[i].emit('unpipe', this, { hasUnpiped: false });
      return this;
    }
    const index = state.pipes.indexOf(dest);
    if (index === -1) return this;
    state.pipes.splice(index, 1);
    if (state.pipes.length === 0) this.pause();
    dest.emit('unpipe', this, unpipeInfo);
    return this;
  };
  Readable.prototype.on = function (ev, fn) {
    const res = Stream.prototype.on.call(this, ev, fn);
    const state = this._readableState;
    if (ev === 'data') {
      state.dataListening = true;
      if (this.listenerCount('readable') > 0) state.readableListening = true;
      if (state.flowing !== false) this.resume();
    } else if (ev === 'readable') {
      if (!state.endEmitted && !state.readableListening) {
        state.readableListening = state.needReadable = true;
        state.flowing = false;
        state.emittedReadable = false;
        if (state.length) emitReadable(this);
        else if (!state.reading) process.nextTick(nReadingNextTick, this);
      }
    }
    return res;
  };
  Readable.prototype.addListener = Readable.prototype.on;
  Readable.prototype.removeListener = function (ev, fn) {
    const state = this._readableState;
    const res = Stream.prototype.removeListener.call(this, ev, fn);
    if (ev === 'readable') process.nextTick(updateReadableListening, this);
    else if (ev === 'data' && this.listenerCount('data') === 0) state.dataListening = false;
    return res;
  };
  Readable.prototype.off = Readable.prototype.removeListener;
  Readable.prototype.removeAllListeners = function (ev) {
    const res = Stream.prototype.removeAllListeners.apply(this, arguments);
    if (ev === 'readable' || ev === undefined) process.nextTick(updateReadableListening, this);
    return res;
  };
  function updateReadableListening(self) {
    const state = self._readableState;
    state.readableListening = self.listenerCount('readable') > 0;
    if (state.resumeScheduled && state.paused === false) state.flowing = true;
    else if (state.dataListening) self.resume();
    else if (!state.readableListening) state.flowing = null;
  }
  function nReadingNextTick(self) {
    self.read(0);
  }
  Readable.prototype.resume = function () {
    const state = this._readableState;
    if (state.flowing !== true) {
      state.flowing = !state.readableListening;
      if (!state.resumeScheduled) {
        state.resumeScheduled = true;
        process.nextTick(resumeNT, this, state);
      }
    }
    state.paused = false;
    return this;
  };
  function resumeNT(stream, state) {
    if (!state.reading) stream.read(0);
    state.resumeScheduled = false;
    stream.emit('resume');
    flow(stream);
    if (state.flowing === true && !state.reading) stream.read(0);
  }
  Readable.prototype.pause = function () {
    const state = this._readableState;
    if (state.flowing !== false) {
      state.flowing = false;
      this.emit('pause');
    }
    state.paused = true;
    return this;
  };
  function flow(stream) {
    const state = stream._readableState;
    while (state.flowing === true && stream.read() !== null);
  }
  Readable.prototype.wrap = function (stream) {
    let paused = false;
    stream.on('data', (chunk) => {
      if (!this.push(chunk) && stream.pause) {
        paused = true;
        stream.pause();
      }
    });
    stream.on('end', () => this.push(null));
    stream.on('error', (err) => errorOrDestroy(this, err));
    stream.on('close', () => this.destroy());
    stream.on('destroy', () => this.destroy());
    this._read = () => {
      if (paused && stream.resume) {
        paused = false;
        stream.resume();
      }
    };
    return this;
  };
  Readable.prototype[Symbol.asyncIterator] = function () {
    return streamToAsyncIterator(this);
  };
  Readable.prototype.iterator = function (options) {
    if (options !== undefined && (options === null || typeof options !== 'object')) {
      throw invalidArgType('options', 'of type object', options);
    }
    return streamToAsyncIterator(this, options);
  };
  function streamToAsyncIterator(stream, options) {
    if (typeof stream.read !== 'function') stream = Readable.wrap(stream, { objectMode: true });
    const iter = createAsyncIterator(stream, options);
    iter.stream = stream;
    return iter;
  }
  async function* createAsyncIterator(stream, options) {
    let callback = nop;
    function next(resolve) {
      if (this === stream) {
        callback();
        callback = nop;
      } else {
        callback = resolve;
      }
    }
    stream.on('readable', next);
    let error;
    const cleanup = eos(stream, { writable: false }, (err) => {
      error = err ? aggregateTwoErrors(error, err) : null;
      callback();
      callback = nop;
    });
    try {
      while (true) {
        const chunk = stream.destroyed ? null : stream.read();
        if (chunk !== null) {
          yield chunk;
        } else if (error) {
          throw error;
        } else if (error === null) {
          return;
        } else {
          await new Promise(next);
        }
      }
    } catch (err) {
      error = aggregateTwoErrors(error, err);
      throw error;
    } finally {
      if ((error || (options && options.destroyOnReturn) !== false) &&
          (error === undefined || stream._readableState.autoDestroy)) {
        destroyer(stream, null);
      } else {
        stream.off('readable', next);
        cleanup();
      }
    }
  }
  function readableGetter(name, get, set) {
    Object.defineProperty(Readable.prototype, name, { get, set, enumerable: false, configurable: true });
  }
  readableGetter('readable', function () {
    const r = this._readableState;
    return !!r && r.readable !== false && !r.destroyed && !r.errorEmitted && !r.endEmitted;
  }, function (val) {
    if (this._readableState) this._readableState.readable = !!val;
  });
  readableGetter('readableDidRead', function () { return this._readableState.dataEmitted; });
  readableGetter('readableAborted', function () {
    const r = this._readableState;
    return !!(r.readable !== false && (r.destroyed || r.errored) && !r.endEmitted);
  });
  readableGetter('readableHighWaterMark', function () { return this._readableState.highWaterMark; });
  readableGetter('readableBuffer', function () { return this._readableState && this._readableState.buffer; });
  readableGetter('readableFlowing', function () { return this._readableState.flowing; }, function (v) {
    if (this._readableState) this._readableState.flowing = v;
  });
  readableGetter('readableLength', function () { return this._readableState.length; });
  readableGetter('readableObjectMode', function () { return this._readableState ? this._readableState.objectMode : false; });
  readableGetter('readableEncoding', function () { return this._readableState ? this._readableState.encoding : null; });
  readableGetter('errored', function () { return this._readableState ? this._readableState.errored : null; });
  readableGetter('closed', function () { return this._readableState ? this._readableState.closed : false; });
  readableGetter('destroyed', function () { return this._readableState ? this._readableState.destroyed : false; }, function (v) {
    if (this._readableState) this._readableState.destroyed = v;
  });
  readableGetter('readableEnded', function () { return this._readableState ? this._readableState.endEmitted : false; });
  function fromList(n, state) {
    if (state.length === 0) return null;
    const buf = state.buffer;
    let ret;
    if (state.objectMode) {
      ret = buf.shift();
    } else if (!n || n >= state.length) {
      if (state.decoder) ret = buf.join('');
      else if (buf.length === 1) ret = buf[0];
      else ret = Buffer.concat(buf, state.length);
      state.buffer = [];
    } else if (n < buf[0].length) {
      ret = buf[0].slice(0, n);
      buf[0] = buf[0].slice(n);
    } else if (n === buf[0].length) {
      ret = buf.shift();
    } else if (state.decoder) {
      ret = '';
      while (buf.length) {
        const str = buf[0];
        if (n > str.length) {
          ret += str;
          n -= str.length;
          buf.shift();
        } else {
          if (n === str.length) {
            ret += str;
            buf.shift();
          } else {
            ret += str.slice(0, n);
            buf[0] = str.slice(n);
          }
          break;
        }
      }
    } else {
      const parts = [];
      const total = n;
      while (buf.length) {
        const data = buf[0];
        if (n > data.length) {
          parts.push(data);
          n -= data.length;
          buf.shift();
        } else {
          if (n === data.length) {
            parts.push(data);
            buf.shift();
          } else {
            parts.push(data.subarray(0, n));
            buf[0] = data.subarray(n);
          }
          break;
        }
      }
      ret = Buffer.concat(parts, total);
    }
    return ret;
  }
  function endReadable(stream) {
    const state = stream._readableState;
    if (!state.endEmitted) {
      state.ended = true;
      process.nextTick(endReadableNT, state, stream);
    }
  }
  function endReadableNT(state, stream) {
    if (!state.errored && !state.closeEmitted && !state.endEmitted && state.length === 0) {
      state.endEmitted = true;
      stream.emit('end');
      if (stream.writable && stream.allowHalfOpen === false) {
        process.nextTick(endWritableNT, stream);
      } else if (state.autoDestroy) {
        const w = stream._writableState;
        const autoDestroy = !w || (w.autoDestroy && (w.finished || w.writable === false));
        if (autoDestroy) stream.destroy();
      }
    }
  }
  function endWritableNT(stream) {
    if (stream.writable && !stream.writableEnded && !stream.destroyed) stream.end();
  }
  Readable.from = function (iterable, opts) {
    return from(iterable, opts);
  };
  Readable.wrap = function (src, options) {
    return new Readable({
      objectMode: src.readableObjectMode != null ? src.readableObjectMode : src.objectMode != null ? src.objectMode : true,
      ...options,
      destroy(err, callback) {
        destroyer(src, err);
        callback(err);
      },
    }).wrap(src);
  };

  // ---- Readable.from (lib/internal/streams/from.js)
  function from(iterable, opts) {
    if (typeof iterable === 'string' || iterable instanceof Buffer) {
      return new Readable({
        objectMode: true,
        ...opts,
        read() {
          this.push(iterable);
          this.push(null);
        },
      });
    }
    let isAsync;
    let iterator;
    if (iterable && iterable[Symbol.asyncIterator]) {
      isAsync = true;
      iterator = iterable[Symbol.asyncIterator]();
    } else if (iterable && iterable[Symbol.iterator]) {
      isAsync = false;
      iterator = iterable[Symbol.iterator]();
    } else {
      throw invalidArgType('iterable', 'an instance of Iterable', iterable);
    }
    const readable = new Readable({ objectMode: true, highWaterMark: 1, ...opts });
    let reading = false;
    let isAsyncValues = false;
    readable._read = function () {
      if (!reading) {
        reading = true;
        if (isAsync) nextAsync();
        else if (isAsyncValues) nextSyncWithAsyncValues();
        else nextSyncWithSyncValues();
      }
    };
    readable._destroy = function (error, cb) {
      close(error).then(() => process.nextTick(cb, error), (e) => process.nextTick(cb, e || error));
    };
    async function close(error) {
      const hadError = error !== undefined && error !== null;
      const hasThrow = typeof iterator.throw === 'function';
      if (hadError && hasThrow) {
        const { value, done } = await iterator.throw(error);
        await value;
        if (done) return;
      }
      if (typeof iterator.return === 'function') {
        const { value } = await iterator.return();
        await value;
      }
    }
    function nextSyncWithSyncValues() {
      for (;;) {
        try {
          const { value, done } = iterator.next();
          if (done) {
            readable.push(null);
            return;
          }
          if (value && typeof value.then === 'function') return changeToAsyncValues(value);
          if (value === null) {
            reading = false;
            throw errors.nullValues();
          }
          if (readable.push(value)) continue;
          reading = false;
        } catch (err) {
          readable.destroy(err);
        }
        break;
      }
    }
    async function changeToAsyncValues(value) {
      isAsyncValues = true;
      try {
        const res = await value;
        if (res === null) {
          reading = false;
          throw errors.nullValues();
        }
        if (readable.push(res)) {
          nextSyncWithAsyncValues();
          return;
        }
        reading = false;
      } catch (err) {
        readable.destroy(err);
      }
    }
    async function nextSyncWithAsyncValues() {
      for (;;) {
        try {
          const { value, done } = iterator.next();
          if (done) {
            readable.push(null);
            return;
          }
          const res = value && typeof value.then === 'function' ? await value : value;
          if (res === null) {
            reading = false;
            throw errors.nullValues();
          }
          if (readable.push(res)) continue;
          reading = false;
        } catch (err) {
          readable.destroy(err);
        }
        break;
      }
    }
    async function nextAsync() {
      for (;;) {
        try {
          const { value, done } = await iterator.next();
          if (done) {
            readable.push(null);
            return;
          }
          if (value === null) {
            reading = false;
            throw errors.nullValues();
          }
          if (readable.push(value)) continue;
          reading = false;
        } catch (err) {
          readable.destroy(err);
        }
        break;
      }
    }
    return readable;
  }

  // ---- Writable (lib/internal/streams/writable.js)
  function WritableState(options, stream, isDuplex) {
    this.objectMode = !!(options && (options.objectMode || (isDuplex && options.writableObjectMode)));
    this.highWaterMark = getHighWaterMark(options || {}, 'writableHighWaterMark', isDuplex, this.objectMode);
    this.finalCalled = false;
    this.needDrain = false;
    this.ending = false;
    this.ended = false;
    this.finished = false;
    this.destroyed = false;
    this.decodeStrings = !(options && options.decodeStrings === false);
    const defaultEncoding = options ? options.defaultEncoding : null;
    if (defaultEncoding == null || normalizeEncoding(defaultEncoding) === 'utf8') this.defaultEncoding = 'utf8';
    else if (Buffer.isEncoding(defaultEncoding)) this.defaultEncoding = defaultEncoding;
    else throw errors.unknownEncoding(defaultEncoding);
    this.length = 0;
    this.writing = false;
    this.corked = 0;
    this.sync = true;
    this.bufferProcessing = false;
    this.onwrite = onwrite.bind(undefined, stream);
    this.writecb = null;
    this.writelen = 0;
    this.afterWriteTickInfo = null;
    this.afterWritePending = false;
    this.expectWriteCb = false;
    this.buffered = null;
    this.bufferedIndex = 0;
    this.allBuffers = true;
    this.allNoop = true;
    this.pendingcb = 0;
    this.constructed = true;
    this.prefinished = false;
    this.errorEmitted = false;
    this.emitClose = !(options && options.emitClose === false);
    this.autoDestroy = !(options && options.autoDestroy === false);
    this.errored = null;
    this.closed = false;
    this.closeEmitted = false;
    this.onFinished = null;
  }
  function resetBuffer(state) {
    state.buffered = null;
    state.bufferedIndex = 0;
    state.allBuffers = true;
    state.allNoop = true;
  }
  WritableState.prototype.getBuffer = function getBuffer() {
    return this.buffered === null ? [] : this.buffered.slice(this.bufferedIndex);
  };
  Object.defineProperty(WritableState.prototype, 'bufferedRequestCount', {
    get() { return this.buffered === null ? 0 : this.buffered.length - this.bufferedIndex; },
  });

  function Writable(options) {
    if (!(this instanceof Writable) && !(this instanceof Duplex)) return new Writable(options);
    refuseUnmodelled(options);
    this._writableState = new WritableState(options, this, false);
    if (options) {
      if (typeof options.write === 'function') this._write = options.write;
      if (typeof options.writev === 'function') this._writev = options.writev;
      if (typeof options.destroy === 'function') this._destroy = options.destroy;
      if (typeof options.final === 'function') this._final = options.final;
    }
    Stream.call(this, options);
  }
  Object.setPrototypeOf(Writable.prototype, Stream.prototype);
  Object.setPrototypeOf(Writable, Stream);
  Writable.WritableState = WritableState;
  // A Duplex is a Writable too (its prototype chain runs through Readable).
  Object.defineProperty(Writable, Symbol.hasInstance, {
    value: function (object) {
      if (Function.prototype[Symbol.hasInstance] === undefined) {
        if (object === null || (typeof object !== 'object' && typeof object !== 'function')) return false;
        for (let p = Object.getPrototypeOf(object); p !== null; p = Object.getPrototypeOf(p)) {
          if (p === this.prototype) return true;
        }
      } else if (Function.prototype[Symbol.hasInstance].call(this, object)) {
        return true;
      }
      if (this !== Writable) return false;
      return !!(object && object._writableState instanceof WritableState);
    },
  });
  Writable.prototype.pipe = function () {
    errorOrDestroy(this, errors.cannotPipe());
  };
  function writeImpl(stream, chunk, encoding, cb) {
    const state = stream._writableState;
    if (cb == null || typeof cb !== 'function') cb = nop;
    if (chunk === null) throw errors.nullValues();
    if (!state.objectMode) {
      if (!encoding) encoding = state.defaultEncoding;
      else if (encoding !== 'buffer' && !Buffer.isEncoding(encoding)) throw errors.unknownEncoding(encoding);
      if (typeof chunk === 'string') {
        if (state.decodeStrings) {
          chunk = Buffer.from(chunk, encoding);
          encoding = 'buffer';
        }
      } else if (chunk instanceof Buffer) {
        encoding = 'buffer';
      } else if (ArrayBuffer.isView(chunk)) {
        chunk = toBuffer(chunk);
        encoding = 'buffer';
      } else {
        throw invalidArgType('chunk', 'of type string or an instance of Buffer, TypedArray, or DataView', chunk);
      }
    }
    let err;
    if (state.ending) err = errors.writeAfterEnd();
    else if (state.destroyed) err = errors.destroyed('write');
    if (err) {
      process.nextTick(cb, err);
      errorOrDestroy(stream, err, true);
      return err;
    }
    state.pendingcb++;
    return writeOrBuffer(stream, state, chunk, encoding, cb);
  }
  Writable.prototype.write = function (chunk, encoding, cb) {
    if (encoding != null && typeof encoding === 'function') {
      cb = encoding;
      encoding = null;
    }
    return writeImpl(this, chunk, encoding, cb) === true;
  };
  Writable.prototype.cork = function () {
    this._writableState.corked++;
  };
  Writable.prototype.uncork = function () {
    const state = this._writableState;
    if (state.corked) {
      state.corked--;
      if (!state.writing) clearBuffer(this, state);
    }
  };
  Writable.prototype.setDefaultEncoding = function setDefaultEncoding(encoding) {
    if (typeof encoding === 'string') encoding = encoding.toLowerCase();
    if (!Buffer.isEncoding(encoding)) throw errors.unknownEncoding(encoding);
    this._writableState.defaultEncoding = encoding;
    return this;
  };
  function writeOrBuffer(stream, state, chunk, encoding, callback) {
    const len = state.objectMode ? 1 : chunk.length;
    state.length += len;
    if (state.writing || state.errored || state.corked || !state.constructed) {
      if (state.buffered === null) state.buffered = [];
      state.buffered.push({ chunk, encoding, callback });
      if (state.allBuffers && encoding !== 'buffer') state.allBuffers = false;
      if (state.allNoop && callback !== nop) state.allNoop = false;
    } else {
      state.writelen = len;
      state.writecb = callback === nop ? null : callback;
      state.writing = state.sync = state.expectWriteCb = true;
      stream._write(chunk, encoding, state.onwrite);
      state.sync = false;
    }
    const ret = state.length < state.highWaterMark;
    if (!ret) state.needDrain = true;
    return ret && !state.destroyed && !state.errored;
  }
  function doWrite(stream, state, writev, len, chunk, encoding, cb) {
    state.writelen = len;
    state.writecb = cb === nop ? null : cb;
    state.writing = state.sync = state.expectWriteCb = true;
    if (state.destroyed) state.onwrite(errors.destroyed('write'));
    else if (writev) stream._writev(chunk, state.onwrite);
    else stream._write(chunk, encoding, state.onwrite);
    state.sync = false;
  }
  function onwriteError(stream, state, er, cb) {
    --state.pendingcb;
    cb(er);
    errorBuffer(state);
    errorOrDestroy(stream, er);
  }
  function onwrite(stream, er) {
    const state = stream._writableState;
    if (!state.expectWriteCb) {
      errorOrDestroy(stream, errors.multipleCallback());
      return;
    }
    const sync = state.sync;
    const cb = state.writecb || nop;
    state.writecb = null;
    state.writing = state.expectWriteCb = false;
    state.length -= state.writelen;
    state.writelen = 0;
    if (er) {
      if (!state.errored) state.errored = er;
      if (stream._readableState && !stream._readableState.errored) stream._readableState.errored = er;
      if (sync) process.nextTick(onwriteError, stream, state, er, cb);
      else onwriteError(stream, state, er, cb);
    } else {
      if (state.buffered !== null) clearBuffer(stream, state);
      if (sync) {
        const needDrain = state.needDrain && state.length === 0;
        // Node 20 tests `kState & kDestroyed !== 0`, which is its object-mode bit: an
        // object-mode stream always completes a synchronous write on the next tick.
        const needTick = needDrain || state.objectMode || cb !== nop;
        if (cb === nop) {
          if (!state.afterWritePending && needTick) {
            process.nextTick(afterWrite, stream, state, 1, cb);
            state.afterWritePending = true;
          } else {
            state.pendingcb--;
            if (state.ending) finishMaybe(stream, state, true);
          }
        } else if (state.afterWriteTickInfo !== null && state.afterWriteTickInfo.cb === cb) {
          state.afterWriteTickInfo.count++;
        } else if (needTick) {
          state.afterWriteTickInfo = { count: 1, cb, stream, state };
          process.nextTick(afterWriteTick, state.afterWriteTickInfo);
          state.afterWritePending = true;
        } else {
          state.pendingcb--;
          if (state.ending) finishMaybe(stream, state, true);
        }
      } else {
        afterWrite(stream, state, 1, cb);
      }
    }
  }
  function afterWriteTick({ stream, state, count, cb }) {
    state.afterWriteTickInfo = null;
    return afterWrite(stream, state, count, cb);
  }
  function afterWrite(stream, state, count, cb) {
    state.afterWritePending = false;
    const needDrain = !state.ending && state.needDrain && !state.destroyed && state.length === 0;
    if (needDrain) {
      state.needDrain = false;
      stream.emit('drain');
    }
    while (count-- > 0) {
      state.pendingcb--;
      cb(null);
    }
    if (state.destroyed) errorBuffer(state);
    if (state.ending) finishMaybe(stream, state, true);
  }
  function errorBuffer(state) {
    if (state.writing) return;
    if (state.buffered !== null) {
      for (let n = state.bufferedIndex; n < state.buffered.length; ++n) {
        const { chunk, callback } = state.buffered[n];
        state.length -= state.objectMode ? 1 : chunk.length;
        callback(state.errored != null ? state.errored : errors.destroyed('write'));
      }
    }
    callFinishedCallbacks(state, state.errored != null ? state.errored : errors.destroyed('end'));
    resetBuffer(state);
  }
  function clearBuffer(stream, state) {
    if (state.corked || state.bufferProcessing || state.destroyed || !state.constructed || state.buffered === null) return;
    const objectMode = state.objectMode;
    const buffered = state.buffered;
    const bufferedIndex = state.bufferedIndex;
    const bufferedLength = buffered.length - bufferedIndex;
    if (!bufferedLength) return;
    let i = bufferedIndex;
    state.bufferProcessing = true;
    if (bufferedLength > 1 && stream._writev) {
      state.pendingcb -= bufferedLength - 1;
      const callback = state.allNoop ? nop : (err) => {
        for (let n = i; n < buffered.length; ++n) buffered[n].callback(err);
      };
      const chunks = state.allNoop && i === 0 ? buffered : buffered.slice(i);
      chunks.allBuffers = state.allBuffers;
      doWrite(stream, state, true, state.length, chunks, '', callback);
      resetBuffer(state);
    } else {
      do {
        const { chunk, encoding, callback } = buffered[i];
        buffered[i++] = null;
        const len = objectMode ? 1 : chunk.length;
        doWrite(stream, state, false, len, chunk, encoding, callback);
      } while (i < buffered.length && !state.writing);
      if (i === buffered.length) resetBuffer(state);
      else state.bufferedIndex = i;
    }
    state.bufferProcessing = false;
  }
  Writable.prototype._write = function (chunk, encoding, cb) {
    if (this._writev) this._writev([{ chunk, encoding }], cb);
    else throw errors.methodNotImplemented('_write()');
  };
  Writable.prototype._writev = null;
  Writable.prototype.end = function (chunk, encoding, cb) {
    const state = this._writableState;
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = null;
      encoding = null;
    } else if (typeof encoding === 'function') {
      cb = encoding;
      encoding = null;
    }
    let err;
    if (chunk != null) {
      const ret = writeImpl(this, chunk, encoding);
      if (ret instanceof Error) err = ret;
    }
    if (state.corked) {
      state.corked = 1;
      this.uncork();
    }
    if (err) {
      // the write's error is reported already
    } else if (!state.ending && !state.errored) {
      state.ending = true;
      finishMaybe(this, state, true);
      state.ended = true;
    } else if (state.finished) {
      err = errors.alreadyFinished('end');
    } else if (state.destroyed) {
      err = errors.destroyed('end');
    }
    if (typeof cb === 'function') {
      if (err) process.nextTick(cb, err);
      else if (state.errored) process.nextTick(cb, state.errored);
      else if (state.finished) process.nextTick(cb, null);
      else {
        if (state.onFinished === null) state.onFinished = [];
        state.onFinished.push(cb);
      }
    }
    return this;
  };
  function needFinish(state) {
    return state.ending && !state.destroyed && state.constructed && !state.finished && !state.writing &&
      !state.errorEmitted && !state.closeEmitted && !state.errored && state.buffered === null && state.length === 0;
  }
  function onFinish(stream, state, err) {
    if (state.prefinished) {
      errorOrDestroy(stream, err != null ? err : errors.multipleCallback());
      return;
    }
    state.pendingcb--;
    if (err) {
      callFinishedCallbacks(state, err);
      errorOrDestroy(stream, err, state.sync);
    } else if (needFinish(state)) {
      state.prefinished = true;
      stream.emit('prefinish');
      state.pendingcb++;
      process.nextTick(finish, stream, state);
    }
  }
  function prefinish(stream, state) {
    if (state.prefinished || state.finalCalled) return;
    if (typeof stream._final === 'function' && !state.destroyed) {
      state.finalCalled = true;
      state.sync = true;
      state.pendingcb++;
      try {
        stream._final((err) => onFinish(stream, state, err));
      } catch (err) {
        onFinish(stream, state, err);
      }
      state.sync = false;
    } else {
      state.finalCalled = true;
      state.prefinished = true;
      stream.emit('prefinish');
    }
  }
  function finishMaybe(stream, state, sync) {
    if (needFinish(state)) {
      prefinish(stream, state);
      if (state.pendingcb === 0) {
        if (sync) {
          state.pendingcb++;
          process.nextTick((stream, state) => {
            if (needFinish(state)) finish(stream, state);
            else state.pendingcb--;
          }, stream, state);
        } else if (needFinish(state)) {
          state.pendingcb++;
          finish(stream, state);
        }
      }
    }
  }
  function finish(stream, state) {
    state.pendingcb--;
    state.finished = true;
    callFinishedCallbacks(state, null);
    stream.emit('finish');
    if (state.autoDestroy) {
      const r = stream._readableState;
      const autoDestroy = !r || (r.autoDestroy && (r.endEmitted || r.readable === false));
      if (autoDestroy) stream.destroy();
    }
  }
  function callFinishedCallbacks(state, err) {
    if (state.onFinished === null) return;
    const callbacks = state.onFinished;
    state.onFinished = null;
    for (let i = 0; i < callbacks.length; i++) callbacks[i](err);
  }
  const writableProps = {
    closed: { get() { return this._writableState ? this._writableState.closed : false; } },
    destroyed: {
      get() { return this._writableState ? this._writableState.destroyed : false; },
      set(v) { if (this._writableState) this._writableState.destroyed = v; },
    },
    writable: {
      get() {
        const w = this._writableState;
        return !!w && w.writable !== false && !w.errored && !w.ending && !w.ended && !w.destroyed;
      },
      set(val) { if (this._writableState) this._writableState.writable = !!val; },
    },
    writableFinished: { get() { return this._writableState ? this._writableState.finished : false; } },
    writableObjectMode: { get() { return this._writableState ? this._writableState.objectMode : false; } },
    writableBuffer: { get() { return this._writableState && this._writableState.getBuffer(); } },
    writableEnded: { get() { return this._writableState ? this._writableState.ending : false; } },
    writableNeedDrain: {
      get() {
        const w = this._writableState;
        return w ? !w.destroyed && !w.ending && w.needDrain : false;
      },
    },
    writableHighWaterMark: { get() { return this._writableState && this._writableState.highWaterMark; } },
    writableCorked: { get() { return this._writableState ? this._writableState.corked : 0; } },
    writableLength: { get() { return this._writableState && this._writableState.length; } },
    errored: { get() { return this._writableState ? this._writableState.errored : null; } },
    writableAborted: {
      get() {
        const w = this._writableState;
        return w.writable !== false && (w.destroyed || !!w.errored) && !w.finished;
      },
    },
  };
  for (const key of Object.keys(writableProps)) {
    Object.defineProperty(Writable.prototype, key, { ...writableProps[key], enumerable: false, configurable: true });
  }
  Writable.prototype.destroy = function (err, cb) {
    const state = this._writableState;
    if (!state.destroyed || state.buffered !== null || state.onFinished !== null) {
      process.nextTick(errorBuffer, state);
    }
    destroy.call(this, err, cb);
    return this;
  };
  Writable.prototype._undestroy = undestroy;
  Writable.prototype._destroy = function (err, cb) {
    cb(err);
  };

  // ---- Duplex, Transform, PassThrough
  function Duplex(options) {
    if (!(this instanceof Duplex)) return new Duplex(options);
    refuseUnmodelled(options);
    this._readableState = new ReadableState(options, this, true);
    this._writableState = new WritableState(options, this, true);
    if (options) {
      this.allowHalfOpen = options.allowHalfOpen !== false;
      if (options.readable === false) {
        this._readableState.readable = false;
        this._readableState.ended = true;
        this._readableState.endEmitted = true;
      }
      if (options.writable === false) {
        this._writableState.writable = false;
        this._writableState.ending = true;
        this._writableState.ended = true;
        this._writableState.finished = true;
      }
      if (typeof options.read === 'function') this._read = options.read;
      if (typeof options.write === 'function') this._write = options.write;
      if (typeof options.writev === 'function') this._writev = options.writev;
      if (typeof options.destroy === 'function') this._destroy = options.destroy;
      if (typeof options.final === 'function') this._final = options.final;
    } else {
      this.allowHalfOpen = true;
    }
    Stream.call(this, options);
  }
  Object.setPrototypeOf(Duplex.prototype, Readable.prototype);
  Object.setPrototypeOf(Duplex, Readable);
  for (const method of Object.keys(Writable.prototype)) {
    if (!Duplex.prototype[method]) Duplex.prototype[method] = Writable.prototype[method];
  }
  Duplex.prototype.destroy = Writable.prototype.destroy;
  for (const key of ['writable', 'writableHighWaterMark', 'writableObjectMode', 'writableBuffer', 'writableLength',
    'writableFinished', 'writableCorked', 'writableEnded', 'writableNeedDrain']) {
    Object.defineProperty(Duplex.prototype, key, Object.getOwnPropertyDescriptor(Writable.prototype, key));
  }
  Object.defineProperty(Duplex.prototype, 'destroyed', {
    get() {
      if (this._readableState === undefined || this._writableState === undefined) return false;
      return this._readableState.destroyed && this._writableState.destroyed;
    },
    set(value) {
      if (this._readableState && this._writableState) {
        this._readableState.destroyed = value;
        this._writableState.destroyed = value;
      }
    },
    configurable: true,
  });

  const kCallback = Symbol('kCallback');
  function Transform(options) {
    if (!(this instanceof Transform)) return new Transform(options);
    const readableHighWaterMark = options ? getHighWaterMark(options, 'readableHighWaterMark', true, !!(options.objectMode || options.readableObjectMode)) : null;
    if (readableHighWaterMark === 0) {
      options = {
        ...options,
        highWaterMark: null,
        readableHighWaterMark,
        writableHighWaterMark: options.writableHighWaterMark || 0,
      };
    }
    Duplex.call(this, options);
    this._readableState.sync = false;
    this[kCallback] = null;
    if (options) {
      if (typeof options.transform === 'function') this._transform = options.transform;
      if (typeof options.flush === 'function') this._flush = options.flush;
    }
    this.on('prefinish', transformPrefinish);
  }
  Object.setPrototypeOf(Transform.prototype, Duplex.prototype);
  Object.setPrototypeOf(Transform, Duplex);
  function transformFinal(cb) {
    if (typeof this._flush === 'function' && !this.destroyed) {
      this._flush((er, data) => {
        if (er) {
          if (cb) cb(er);
          else this.destroy(er);
          return;
        }
        if (data != null) this.push(data);
        this.push(null);
        if (cb) cb();
      });
    } else {
      this.push(null);
      if (cb) cb();
    }
  }
  function transformPrefinish() {
    if (this._final !== transformFinal) transformFinal.call(this);
  }
  Transform.prototype._final = transformFinal;
  Transform.prototype._transform = function (chunk, encoding, callback) {
    throw errors.methodNotImplemented('_transform()');
  };
  Transform.prototype._write = function (chunk, encoding, callback) {
    const rState = this._readableState;
    const wState = this._writableState;
    const length = rState.length;
    this._transform(chunk, encoding, (err, val) => {
      if (err) {
        callback(err);
        return;
      }
      if (val != null) this.push(val);
      if (rState.ended) {
        process.nextTick(callback);
      } else if (wState.ended || length === rState.length || rState.length < rState.highWaterMark) {
        callback();
      } else {
        this[kCallback] = callback;
      }
    });
  };
  Transform.prototype._read = function () {
    if (this[kCallback]) {
      const callback = this[kCallback];
      this[kCallback] = null;
      callback();
    }
  };
  function PassThrough(options) {
    if (!(this instanceof PassThrough)) return new PassThrough(options);
    Transform.call(this, options);
  }
  Object.setPrototypeOf(PassThrough.prototype, Transform.prototype);
  Object.setPrototypeOf(PassThrough, Transform);
  PassThrough.prototype._transform = function (chunk, encoding, cb) {
    cb(null, chunk);
  };

  // ---- finished (lib/internal/streams/end-of-stream.js)
  function eos(stream, options, callback) {
    if (arguments.length === 2) {
      callback = options;
      options = {};
    } else if (options == null) {
      options = {};
    } else if (typeof options !== 'object') {
      throw invalidArgType('options', 'of type object', options);
    }
    validateFunction(callback, 'callback');
    if (options.signal !== undefined) throw unsupported('the finished option signal');
    callback = once(callback);
    if (!isNodeStream(stream)) {
      throw invalidArgType('stream', 'an instance of ReadableStream, WritableStream, or Stream', stream);
    }
    const readable = options.readable != null ? options.readable : isReadableNodeStream(stream);
    const writable = options.writable != null ? options.writable : isWritableNodeStream(stream);
    const wState = stream._writableState;
    const rState = stream._readableState;
    const onlegacyfinish = () => {
      if (!stream.writable) onfinish();
    };
    let willClose = willEmitClose(stream) && isReadableNodeStream(stream) === readable && isWritableNodeStream(stream) === writable;
    let writableFinished = isWritableFinished(stream, false);
    const onfinish = () => {
      writableFinished = true;
      if (stream.destroyed) willClose = false;
      if (willClose && (!stream.readable || readable)) return;
      if (!readable || readableFinished) callback.call(stream);
    };
    let readableFinished = isReadableFinished(stream, false);
    const onend = () => {
      readableFinished = true;
      if (stream.destroyed) willClose = false;
      if (willClose && (!stream.writable || writable)) return;
      if (!writable || writableFinished) callback.call(stream);
    };
    const onerror = (err) => {
      callback.call(stream, err);
    };
    let closed = isClosed(stream);
    const onclose = () => {
      closed = true;
      const errored = isWritableErrored(stream) || isReadableErrored(stream);
      if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
      if (readable && !readableFinished && isReadableNodeStream(stream, true)) {
        if (!isReadableFinished(stream, false)) return callback.call(stream, errors.prematureClose());
      }
      if (writable && !writableFinished) {
        if (!isWritableFinished(stream, false)) return callback.call(stream, errors.prematureClose());
      }
      callback.call(stream);
    };
    const onclosed = () => {
      closed = true;
      const errored = isWritableErrored(stream) || isReadableErrored(stream);
      if (errored && typeof errored !== 'boolean') return callback.call(stream, errored);
      callback.call(stream);
    };
    if (writable && !wState) {
      stream.on('end', onlegacyfinish);
      stream.on('close', onlegacyfinish);
    }
    if (!willClose && typeof stream.aborted === 'boolean') stream.on('aborted', onclose);
    stream.on('end', onend);
    stream.on('finish', onfinish);
    if (options.error !== false) stream.on('error', onerror);
    stream.on('close', onclose);
    if (closed) {
      process.nextTick(onclose);
    } else if ((wState && wState.errorEmitted) || (rState && rState.errorEmitted)) {
      if (!willClose) process.nextTick(onclosed);
    } else if (!readable && (!willClose || isReadable(stream)) && (writableFinished || isWritable(stream) === false) &&
               (wState == null || wState.pendingcb === undefined || wState.pendingcb === 0)) {
      process.nextTick(onclosed);
    } else if (!writable && (!willClose || isWritable(stream)) && (readableFinished || isReadable(stream) === false)) {
      process.nextTick(onclosed);
    }
    return function cleanup() {
      callback = nop;
      stream.removeListener('aborted', onclose);
      stream.removeListener('end', onlegacyfinish);
      stream.removeListener('close', onlegacyfinish);
      stream.removeListener('finish', onfinish);
      stream.removeListener('end', onend);
      stream.removeListener('error', onerror);
      stream.removeListener('close', onclose);
    };
  }
  function finishedPromise(stream, opts) {
    let autoCleanup = false;
    if (opts === null) opts = {};
    if (opts && opts.cleanup) autoCleanup = opts.cleanup;
    return new Promise((resolve, reject) => {
      const cleanup = eos(stream, opts, (err) => {
        if (autoCleanup) cleanup();
        if (err) reject(err);
        else resolve();
      });
    });
  }

  // ---- pipeline (lib/internal/streams/pipeline.js)
  function pipelineDestroyer(stream, reading, writing) {
    let done = false;
    stream.on('close', () => {
      done = true;
    });
    const cleanup = eos(stream, { readable: reading, writable: writing }, (err) => {
      done = !err;
    });
    return {
      destroy: (err) => {
        if (done) return;
        done = true;
        destroyer(stream, err || errors.destroyed('pipe'));
      },
      cleanup,
    };
  }
  function makeAsyncIterable(val) {
    if (isIterable(val)) return val;
    if (isReadableNodeStream(val)) return fromReadable(val);
    throw invalidArgType('val', 'an instance of Readable, Iterable, or AsyncIterable', val);
  }
  // Node delegates with `yield*`, which the engine's async generators do not support yet.
  async function* fromReadable(val) {
    for await (const chunk of Readable.prototype[Symbol.asyncIterator].call(val)) yield chunk;
  }
  async function pumpToNode(iterable, writable, finish, { end }) {
    let error;
    let onresolve = null;
    const resume = (err) => {
      if (err) error = err;
      if (onresolve) {
        const callback = onresolve;
        onresolve = null;
        callback();
      }
    };
    const wait = () => new Promise((resolve, reject) => {
      if (error) {
        reject(error);
      } else {
        onresolve = () => {
          if (error) reject(error);
          else resolve();
        };
      }
    });
    writable.on('drain', resume);
    const cleanup = eos(writable, { readable: false }, resume);
    try {
      if (writable.writableNeedDrain) await wait();
      for await (const chunk of iterable) {
        if (!writable.write(chunk)) await wait();
      }
      if (end) {
        writable.end();
        await wait();
      }
      finish();
    } catch (err) {
      finish(error !== err ? aggregateTwoErrors(error, err) : err);
    } finally {
      cleanup();
      writable.off('drain', resume);
    }
  }
  function pipeline(...streams) {
    validateFunction(streams[streams.length - 1], 'streams[stream.length - 1]');
    return pipelineImpl(streams, once(streams.pop()));
  }
  function pipelineImpl(streams, callback, opts) {
    if (streams.length === 1 && Array.isArray(streams[0])) streams = streams[0];
    if (streams.length < 2) throw errors.missingArgs('streams');
    if (opts && opts.signal !== undefined) throw unsupported('the pipeline option signal');
    const lastStreamCleanup = [];
    let error;
    let value;
    const destroys = [];
    let finishCount = 0;
    function finish(err) {
      finishImpl(err, --finishCount === 0);
    }
    function finishImpl(err, final) {
      if (err && (!error || error.code === 'ERR_STREAM_PREMATURE_CLOSE')) error = err;
      if (!error && !final) return;
      while (destroys.length) destroys.shift()(error);
      if (final) {
        if (!error) lastStreamCleanup.forEach((fn) => fn());
        process.nextTick(callback, error, value);
      }
    }
    let ret;
    for (let i = 0; i < streams.length; i++) {
      const stream = streams[i];
      const reading = i < streams.length - 1;
      const writing = i > 0;
      const end = reading || !opts || opts.end !== false;
      const isLastStream = i === streams.length - 1;
      if (isNodeStream(stream)) {
        if (end) {
          const { destroy, cleanup } = pipelineDestroyer(stream, reading, writing);
          destroys.push(destroy);
          if (isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
        }
        const onError = (err) => {
          if (err && err.name !== 'AbortError' && err.code !== 'ERR_STREAM_PREMATURE_CLOSE') finish(err);
        };
        stream.on('error', onError);
        if (isReadable(stream) && isLastStream) {
          lastStreamCleanup.push(() => {
            stream.removeListener('error', onError);
          });
        }
      }
      if (i === 0) {
        if (typeof stream === 'function') {
          ret = stream({ signal: undefined });
          if (!isIterable(ret)) {
            throw nodeError(TypeError, 'ERR_INVALID_RETURN_VALUE', 'Expected Iterable, AsyncIterable or Stream to be returned from the "source" function.');
          }
        } else if (isIterable(stream) || isReadableNodeStream(stream)) {
          ret = stream;
        } else {
          throw unsupported('pipeline of a ' + typeof stream + ' that is neither a stream nor iterable');
        }
      } else if (typeof stream === 'function') {
        ret = makeAsyncIterable(ret);
        ret = stream(ret, { signal: undefined });
        if (reading) {
          if (!isIterable(ret, true)) {
            throw nodeError(TypeError, 'ERR_INVALID_RETURN_VALUE', 'Expected AsyncIterable to be returned from the "transform[' + (i - 1) + ']" function.');
          }
        } else {
          const pt = new PassThrough({ objectMode: true });
          const then = ret && ret.then;
          if (typeof then === 'function') {
            finishCount++;
            then.call(ret, (val) => {
              value = val;
              if (val != null) pt.write(val);
              if (end) pt.end();
              process.nextTick(finish);
            }, (err) => {
              pt.destroy(err);
              process.nextTick(finish, err);
            });
          } else if (isIterable(ret, true)) {
            finishCount++;
            pumpToNode(ret, pt, finish, { end });
          } else {
            throw nodeError(TypeError, 'ERR_INVALID_RETURN_VALUE', 'Expected AsyncIterable or Promise to be returned from the "destination" function.');
          }
          ret = pt;
          const { destroy, cleanup } = pipelineDestroyer(ret, false, true);
          destroys.push(destroy);
          if (isLastStream) lastStreamCleanup.push(cleanup);
        }
      } else if (isNodeStream(stream)) {
        if (isReadableNodeStream(ret)) {
          finishCount += 2;
          const cleanup = pipe(ret, stream, finish, { end });
          if (isReadable(stream) && isLastStream) lastStreamCleanup.push(cleanup);
        } else if (isIterable(ret)) {
          finishCount++;
          pumpToNode(ret, stream, finish, { end });
        } else {
          throw invalidArgType('val', 'an instance of Readable, Iterable, AsyncIterable, ReadableStream, or TransformStream', ret);
        }
        ret = stream;
      } else {
        throw unsupported('pipeline of a ' + typeof stream + ' that is neither a stream nor a function');
      }
    }
    return ret;
  }
  function pipe(src, dst, finish, { end }) {
    let ended = false;
    dst.on('close', () => {
      if (!ended) finish(errors.prematureClose());
    });
    src.pipe(dst, { end: false });
    if (end) {
      function endFn() {
        ended = true;
        dst.end();
      }
      if (isReadableFinished(src)) process.nextTick(endFn);
      else src.once('end', endFn);
    } else {
      finish();
    }
    eos(src, { readable: true, writable: false }, (err) => {
      const rState = src._readableState;
      if (err && err.code === 'ERR_STREAM_PREMATURE_CLOSE' && rState && rState.ended && !rState.errored && !rState.errorEmitted) {
        src.once('end', finish).once('error', finish);
      } else {
        finish(err);
      }
    });
    return eos(dst, { readable: false, writable: true }, finish);
  }

  // ---- the module objects
  const promises = {
    finished: finishedPromise,
    pipeline(...streams) {
      return new Promise((resolve, reject) => {
        let end;
        const lastArg = streams[streams.length - 1];
        if (lastArg && typeof lastArg === 'object' && !isNodeStream(lastArg) && !isIterable(lastArg)) {
          const options = streams.pop();
          if (options.signal !== undefined) throw unsupported('the pipeline option signal');
          end = options.end;
        }
        pipelineImpl(streams, (err, value) => {
          if (err) reject(err);
          else resolve(value);
        }, { end });
      });
    },
  };
  Stream.isDestroyed = isDestroyed;
  Stream.isDisturbed = isDisturbed;
  Stream.isErrored = isErrored;
  Stream.isReadable = isReadable;
  Stream.isWritable = isWritable;
  Stream.Readable = Readable;
  Stream.Writable = Writable;
  Stream.Duplex = Duplex;
  Stream.Transform = Transform;
  Stream.PassThrough = PassThrough;
  Stream.pipeline = pipeline;
  Stream.finished = eos;
  Stream.destroy = destroyer;
  let defaultHighWaterMark = 16384;
  let defaultObjectHighWaterMark = 16;
  Stream.setDefaultHighWaterMark = function setDefaultHighWaterMark(objectMode, value) {
    if (!Number.isInteger(value) || value < 0) {
      throw nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "value" is out of range. It must be >= 0 && <= 9007199254740991. Received ' + value);
    }
    if (objectMode) defaultObjectHighWaterMark = value;
    else defaultHighWaterMark = value;
  };
  Stream.getDefaultHighWaterMark = function getDefaultHighWaterMark(objectMode) {
    return objectMode ? defaultObjectHighWaterMark : defaultHighWaterMark;
  };
  Object.defineProperty(Stream, 'promises', { configurable: true, enumerable: true, get() { return promises; } });
  Object.defineProperty(pipeline, customPromisify, { enumerable: true, get() { return promises.pipeline; } });
  Object.defineProperty(eos, customPromisify, { enumerable: true, get() { return promises.finished; } });
  Stream.addAbortSignal = function addAbortSignal() {
    throw unsupported('stream.addAbortSignal');
  };
  Stream.compose = function compose() {
    throw unsupported('stream.compose');
  };
  Stream.duplexPair = function duplexPair() {
    throw unsupported('stream.duplexPair');
  };
  Stream.Stream = Stream;
  Stream._isArrayBufferView = ArrayBuffer.isView;
  Stream._isUint8Array = isUint8Array;
  Stream._uint8ArrayToBuffer = toBuffer;
  // process.stdout and process.stderr, built on their first use (host/process.rs): Node's
  // stdio stream when fd 1 or 2 is a pipe or a file, whose writes are synchronous on Linux.
  // A Writable whose _write hands the text to the host's output (`writeOut`, the one
  // console.log writes to) at once, so a write's callback runs in a nextTick as in Node.
  // `end()` finishes it ('finish', 'close'; Node's dummy _destroy then undestroys it) and,
  // as on a pipe, shuts the output: nothing written after it appears (console.log's lines
  // neither). `isTTY` and `columns` stay undefined (the output is not a terminal).
  function Socket(fd, writeOut) {
    Writable.call(this, { decodeStrings: false });
    this._writeOut = writeOut;
    this.fd = fd;
    this._isStdio = true;
    this.destroySoon = this.destroy;
    this._destroy = dummyDestroy;
  }
  Object.setPrototypeOf(Socket.prototype, Writable.prototype);
  Object.setPrototypeOf(Socket, Writable);
  Socket.prototype.end = function end(chunk, encoding, cb) {
    const r = Writable.prototype.end.call(this, chunk, encoding, cb);
    this._writeOut(null);
    return r;
  };
  Socket.prototype._write = function (chunk, encoding, cb) {
    this._writeOut(chunk, encoding);
    cb();
  };
  function dummyDestroy(err, cb) {
    cb(err);
    this._undestroy();
    if (!this._writableState.emitClose) process.nextTick(() => this.emit('close'));
  }
  function stdio(fd, writeOut) {
    return new Socket(fd, writeOut);
  }
  return { stream: Stream, promises, stdio };
};

// ---------- net (the machine's loopback network; host/net.rs)
// Built on the first `require('net')` or `require('http')`. A server listens on a TCP port
// number of the whole machine (two processes cannot bind one); a connection is a pair of
// ports whose server end is held until a socket object accepts it. In a cluster worker,
// `listen` asks the primary (Node's `queryServer`), which owns the one listening socket and
// hands each connection to a worker round-robin (`RoundRobinHandle`, Node 20's algorithm).
exports.netModule = function netModule(natives) {
  const { Duplex } = require('stream');
  const kPort = Symbol('kPort');
  function codeError(Base, code, message, extra) {
    const e = new Base(message);
    e.code = code;
    return extra ? Object.assign(e, extra) : e;
  }
  function unsupported(what) {
    return new Error('unsupported: ' + what + ' (the simulator does not model it)');
  }
  function refused(port) {
    return codeError(Error, 'ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:' + port,
      { errno: -111, syscall: 'connect', address: '127.0.0.1', port });
  }
  function inUse(port) {
    return codeError(Error, 'EADDRINUSE', 'listen EADDRINUSE: address already in use :::' + port,
      { errno: -98, syscall: 'listen', address: '::', port });
  }
  function portOf(value, name) {
    const port = value === undefined || value === null ? 0 : Number(value);
    if (typeof value === 'boolean' || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw codeError(RangeError, 'ERR_SOCKET_BAD_PORT', name + ' should be >= 0 and < 65536. Received ' + (typeof value === 'string' ? "type string ('" + value + "')" : typeof value === 'number' ? 'type number (' + value + ')' : String(value)) + '.');
    }
    return port;
  }
  // News from the machine (host/net.rs `net_message`): 1 connection, 2 data, 3 end,
  // 4 refused, 5 close, 6 connected.
  function dispatch(target, kind, value) {
    target._onNet(kind, value);
  }

  // The cluster of this process when it is a cluster worker (its servers are shared).
  function workerCluster() {
    if (process.env.NODE_UNIQUE_ID === undefined && !process.connected) return null;
    const cluster = require('cluster');
    return cluster.isWorker ? cluster : null;
  }
  // listen for `server` on `port` (0: any); `done(err, port)` runs once bound.
  function bind(server, port, proto, done) {
    const cluster = workerCluster();
    if (cluster) {
      cluster._getServer(server, port, proto, done);
      return;
    }
    const r = natives.listen(port, proto);
    if (typeof r === 'number') {
      done(inUse(port));
      return;
    }
    server[kPort] = r[1];
    natives.accept(r[1], server, true);
    done(null, r[0]);
  }
  function unbind(server) {
    if (server[kPort] !== undefined && server[kPort] !== null) {
      natives.unlisten(server[kPort]);
      server[kPort] = null;
      return;
    }
    const cluster = workerCluster();
    if (cluster && server._shared) cluster._closeServer(server);
  }

  // Node 20's round-robin handle: the primary's one listening socket for a key; each
  // connection goes to the first free worker; a worker is free again only once it has
  // acknowledged its last hand-off.
  class RoundRobinHandle {
    constructor(key, port, proto) {
      this.key = key;
      this.all = new Map();
      this.free = new Map();
      this.handles = [];
      this.errno = 0;
      const r = natives.listen(port, proto);
      if (typeof r === 'number') {
        this.errno = r;
        this.port = port;
      } else {
        this.port = r[0];
        this[kPort] = r[1];
        natives.accept(r[1], this, true);
      }
    }
    add(worker, send) {
      this.all.set(worker.id, worker);
      process.nextTick(() => {
        if (this.errno) {
          send(this.errno, this.port);
          return;
        }
        send(0, this.port);
        this.handoff(worker);
      });
    }
    remove(worker) {
      if (!this.all.delete(worker.id)) return false;
      this.free.delete(worker.id);
      if (this.all.size !== 0) return false;
      for (const end of this.handles) natives.close(end);
      this.handles = [];
      if (this[kPort] !== undefined) natives.unlisten(this[kPort]);
      return true;
    }
    _onNet(kind, end) {
      if (kind === 1) this.distribute(end);
    }
    distribute(end) {
      this.handles.push(end);
      const first = this.free.entries().next();
      if (!first.done) {
        const [id, worker] = first.value;
        this.free.delete(id);
        this.handoff(worker);
      }
    }
    handoff(worker) {
      if (!this.all.has(worker.id)) return;
      if (this.handles.length === 0) {
        this.free.set(worker.id, worker);
        return;
      }
      const end = this.handles.shift();
      worker._handoff({ act: 'newconn', key: this.key }, end, (reply) => {
        if (!reply.accepted) natives.close(end);
        this.handoff(worker);
      });
    }
  }

  class Socket extends Duplex {
    constructor(options) {
      // 'close' carries whether an error ended it (emitted by _destroy, as Node's net does)
      super({ ...options, allowHalfOpen: !!(options && options.allowHalfOpen), emitClose: false, autoDestroy: true });
      this[kPort] = null;
      this.connecting = false;
      this.bytesRead = 0;
      this._bytesWritten = 0;
      this.remoteAddress = undefined;
      this.remotePort = undefined;
      this.remoteFamily = undefined;
      this.localPort = undefined;
      this._server = null;
    }
    get bytesWritten() { return this._bytesWritten; }
    get readyState() {
      if (this.connecting) return 'opening';
      if (this.readable && this.writable) return 'open';
      if (this.readable) return 'readOnly';
      if (this.writable) return 'writeOnly';
      return 'closed';
    }
    _attach(end, server) {
      this[kPort] = end;
      this._server = server;
      this.remoteAddress = '::ffff:127.0.0.1';
      this.remoteFamily = 'IPv6';
      natives.accept(end, this, true);
    }
    connect(...args) {
      let options = args[0];
      let cb = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
      if (options === null || typeof options !== 'object') options = { port: args[0], host: typeof args[1] === 'string' ? args[1] : undefined };
      if (options.path !== undefined) throw unsupported('IPC sockets (a path) in net.connect');
      const host = options.host === undefined ? 'localhost' : String(options.host);
      if (!['localhost', '127.0.0.1', '::1', '[::1]'].includes(host)) throw unsupported('net.connect to ' + host + ' (only servers on this machine)');
      const port = portOf(options.port, 'Port');
      if (cb) this.once('connect', cb);
      const end = natives.connect(port, 'net');
      if (end < 0) throw unsupported('a net client of an HTTP server on port ' + port + ' (their connections carry requests here, not bytes)');
      this.connecting = true;
      this.remotePort = port;
      this.remoteAddress = '127.0.0.1';
      this.remoteFamily = 'IPv4';
      this[kPort] = end;
      natives.accept(end, this, true);
      return this;
    }
    _onNet(kind, value) {
      switch (kind) {
        case 2:
          this.bytesRead += value.length;
          this.push(value);
          break;
        case 3:
          this.push(null);
          break;
        case 4:
          this[kPort] = null;
          this.connecting = false;
          this.destroy(refused(this.remotePort));
          break;
        case 5:
          this[kPort] = null;
          if (!this.readableEnded) this.push(null);
          this.destroy();
          break;
        case 6:
          this.connecting = false;
          this.emit('connect');
          this.emit('ready');
          break;
      }
    }
    _read() {}
    _write(chunk, encoding, cb) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : chunk;
      if (this[kPort] !== null) natives.write(this[kPort], data, this.connecting ? 2 : 1);
      this._bytesWritten += data.length;
      cb();
    }
    _final(cb) {
      if (this[kPort] !== null) natives.end(this[kPort]);
      cb();
    }
    _destroy(err, cb) {
      if (this[kPort] !== null) natives.close(this[kPort]);
      this[kPort] = null;
      if (this._server) {
        const server = this._server;
        this._server = null;
        server._connections--;
        server._maybeClosed();
      }
      cb(err);
      process.nextTick(() => this.emit('close', !!err));
    }
    address() {
      return this[kPort] === null ? {} : { address: '::ffff:127.0.0.1', family: 'IPv6', port: this.localPort };
    }
    setEncoding(encoding) { return super.setEncoding(encoding); }
    setNoDelay() { return this; }
    setKeepAlive() { return this; }
    setTimeout(ms, cb) {
      if (ms !== 0) throw unsupported('socket.setTimeout');
      return this;
    }
    ref() { if (this[kPort] !== null) natives.ref(this[kPort], true); return this; }
    unref() { if (this[kPort] !== null) natives.ref(this[kPort], false); return this; }
  }

  // What net.Server and http.Server share: listening, address, closing after the last
  // connection, and a connection arriving (`_accept(end)`, the server's own part).
  class Server extends EventEmitter {
    constructor(proto) {
      super();
      Object.defineProperty(this, '_proto', { value: proto });
      Object.defineProperty(this, kPort, { value: null, writable: true });
      this.listening = false;
      this._port = null;
      this._connections = 0;
      this._closing = false;
      this._shared = false;
    }
    listen(...args) {
      let cb;
      if (typeof args[args.length - 1] === 'function') cb = args.pop();
      let port = args[0];
      if (port !== null && typeof port === 'object') {
        if (port.path !== undefined) throw unsupported('listening on a path (IPC socket)');
        port = port.port;
      }
      port = portOf(port, 'options.port');
      if (this.listening) throw codeError(Error, 'ERR_SERVER_ALREADY_LISTEN', 'Listen method has been called more than once without closing.');
      if (cb) this.once('listening', cb);
      this._closing = false;
      bind(this, port, this._proto, (err, bound) => {
        if (err) {
          process.nextTick(() => this.emit('error', err));
          return;
        }
        this._port = bound;
        this.listening = true;
        process.nextTick(() => this.emit('listening'));
      });
      return this;
    }
    address() {
      return this.listening ? { address: '::', family: 'IPv6', port: this._port } : null;
    }
    close(cb) {
      if (typeof cb === 'function') {
        if (!this.listening) {
          this.once('close', () => cb(codeError(Error, 'ERR_SERVER_NOT_RUNNING', 'Server is not running.')));
        } else {
          this.once('close', cb);
        }
      }
      if (this.listening) {
        unbind(this);
        this.listening = false;
      }
      this._closing = true;
      this._closeIdle();
      this._maybeClosed();
      return this;
    }
    _closeIdle() {}
    _maybeClosed() {
      if (this._closing && this._connections === 0) {
        this._closing = false;
        process.nextTick(() => this.emit('close'));
      }
    }
    _onNet(kind, end) {
      if (kind !== 1) return;
      this._connections++;
      this._accept(end);
    }
    getConnections(cb) {
      process.nextTick(cb, null, this._connections);
      return this;
    }
    ref() { if (this[kPort] !== null) natives.ref(this[kPort], true); return this; }
    unref() { if (this[kPort] !== null) natives.ref(this[kPort], false); return this; }
  }

  class NetServer extends Server {
    constructor(options, listener) {
      super('net');
      if (typeof options === 'function') {
        listener = options;
        options = {};
      }
      this.allowHalfOpen = !!(options && options.allowHalfOpen);
      if (typeof listener === 'function') this.on('connection', listener);
    }
    _accept(end) {
      const socket = new Socket({ allowHalfOpen: this.allowHalfOpen });
      socket._attach(end, this);
      this.emit('connection', socket);
    }
  }

  function connect(...args) {
    const socket = new Socket(args[0] !== null && typeof args[0] === 'object' ? args[0] : undefined);
    return socket.connect(...args);
  }
  function isIPv4(s) {
    return /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(String(s));
  }
  function isIPv6(s) {
    s = String(s);
    return s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s) && (s.match(/::/g) || []).length <= 1;
  }
  const net = {
    Server: NetServer,
    Socket,
    Stream: Socket,
    createServer(options, listener) { return new NetServer(options, listener); },
    connect,
    createConnection: connect,
    isIP(s) { return isIPv4(s) ? 4 : isIPv6(s) ? 6 : 0; },
    isIPv4,
    isIPv6,
  };
  Object.defineProperty(net, '_RoundRobinHandle', { value: RoundRobinHandle });
  return { net, dispatch, natives, Server, Socket, kPort, refused, unsupported, codeError };
};

// ---------- http (and https): built on the first require (host/net.rs `load_http`)
// `get` to a host of the virtual network keeps its old path (virtualHttp); a request to
// localhost / 127.0.0.1 goes over the machine's loopback network (`netModule`) to whichever
// process listens on the port. A connection carries requests and responses as messages,
// not bytes (the request two hops after end() on a new connection, one on a kept-alive
// one; each part of the response one hop after the server writes it). The global agent
// keeps connections alive as Node 20's does; upgrades and trailers are not modelled.
exports.httpModule = function httpModule(built) {
  const { Readable, Writable } = require('stream');
  const natives = built.natives;
  const STATUS_CODES = {
    100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted',
    204: 'No Content', 206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found',
    303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
    400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found',
    405: 'Method Not Allowed', 406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict',
    410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 418: "I'm a Teapot",
    422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
    501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
  };
  function codeError(Base, code, message) {
    const e = new Base(message);
    e.code = code;
    return e;
  }
  function unsupported(what) {
    return new Error('unsupported: ' + what + ' (the simulator does not model it)');
  }
  const kHeaders = Symbol('kHeaders');
  function headerStore(target) {
    Object.defineProperty(target, kHeaders, { value: new Map(), writable: true });
  }
  const headerMethods = {
    setHeader(name, value) {
      if (this.headersSent) {
        throw codeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
      }
      this[kHeaders].set(String(name).toLowerCase(), [String(name), value]);
      return this;
    },
    getHeader(name) {
      const e = this[kHeaders].get(String(name).toLowerCase());
      return e ? e[1] : undefined;
    },
    getHeaders() {
      const o = Object.create(null);
      for (const [k, [, v]] of this[kHeaders]) o[k] = v;
      return o;
    },
    getHeaderNames() { return [...this[kHeaders].keys()]; },
    hasHeader(name) { return this[kHeaders].has(String(name).toLowerCase()); },
    removeHeader(name) {
      if (this.headersSent) {
        throw codeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
      }
      this[kHeaders].delete(String(name).toLowerCase());
    },
  };
  // Header values as the other side parses them: lower-case names, string values.
  function received(store, extra) {
    const headers = {};
    for (const [k, [, v]] of store) headers[k] = Array.isArray(v) ? (k === 'set-cookie' ? v.map(String) : v.join(', ')) : String(v);
    for (const k of Object.keys(extra)) if (!(k in headers)) headers[k] = extra[k];
    return headers;
  }
  function rawOf(headers) {
    const raw = [];
    for (const k of Object.keys(headers)) raw.push(k, String(headers[k]));
    return raw;
  }
  function toChunk(chunk, encoding) {
    if (chunk == null) return null;
    return typeof chunk === 'string' ? Buffer.from(chunk, encoding || 'utf8') : Buffer.from(chunk);
  }

  class IncomingMessage extends Readable {
    constructor() {
      super({ read() {} });
      this.httpVersion = '1.1';
      this.httpVersionMajor = 1;
      this.httpVersionMinor = 1;
      this.complete = false;
      this.headers = {};
      this.rawHeaders = [];
      this.trailers = {};
      this.method = null;
      this.url = '';
      this.statusCode = null;
      this.statusMessage = null;
      this.aborted = false;
    }
  }

  class ServerResponse extends Writable {
    constructor(req, exchange) {
      super({
        write: (chunk, encoding, cb) => {
          this._send(chunk, false);
          cb();
        },
        final: (cb) => {
          this._send(null, true);
          cb();
        },
      });
      headerStore(this);
      this.req = req;
      this.statusCode = 200;
      this.statusMessage = undefined;
      this.headersSent = false;
      this.sendDate = true;
      Object.defineProperty(this, '_exchange', { value: exchange });
      this._chunked = false;
    }
    get finished() { return this.writableEnded; }
    writeHead(statusCode, reason, headers) {
      if (typeof reason !== 'string') {
        headers = reason;
        reason = undefined;
      }
      this.statusCode = statusCode;
      if (reason !== undefined) this.statusMessage = reason;
      if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2) this.setHeader(headers[i], headers[i + 1]);
      } else if (headers) {
        for (const k of Object.keys(headers)) this.setHeader(k, headers[k]);
      }
      this._sendHeaders(false);
      return this;
    }
    write(chunk, encoding, cb) {
      if (!this.headersSent && !this.writableEnded) this._chunked = true;
      return super.write(chunk, encoding, cb);
    }
    end(chunk, encoding, cb) {
      if (!this.headersSent && typeof chunk !== 'function' && chunk != null && !this[kHeaders].has('content-length')) {
        const body = toChunk(chunk, typeof encoding === 'string' ? encoding : undefined);
        this[kHeaders].set('content-length', ['Content-Length', body.length]);
      }
      return super.end(chunk, encoding, cb);
    }
    _sendHeaders(ending) {
      if (this.headersSent) return;
      this.headersSent = true;
      const extra = {};
      if (this.sendDate) extra.date = new Date().toUTCString();
      extra.connection = this._exchange.keepAlive ? 'keep-alive' : 'close';
      if (this._chunked) extra['transfer-encoding'] = 'chunked';
      else if (ending && !this[kHeaders].has('content-length')) extra['content-length'] = '0';
      const head = {
        statusCode: this.statusCode,
        statusMessage: this.statusMessage || STATUS_CODES[this.statusCode] || 'unknown',
        headers: received(this[kHeaders], extra),
      };
      this._exchange.toClient({ head });
    }
    _send(chunk, ending) {
      if (!this.headersSent) {
        if (!ending) this._chunked = true;
        this._sendHeaders(ending);
      }
      this._exchange.toClient(ending ? { end: true } : { chunk: Buffer.from(chunk) });
    }
  }
  for (const [k, f] of Object.entries(headerMethods)) {
    Object.defineProperty(ServerResponse.prototype, k, { value: f, writable: true, configurable: true });
  }

  // A server on the machine's loopback network (`built.Server`: listen, address, close);
  // each connection carries requests one after another (keep-alive), or one (`agent: false`).
  class Server extends built.Server {
    constructor(options, handler) {
      super('http');
      if (typeof options === 'function') {
        handler = options;
        options = {};
      }
      if (typeof handler === 'function') this.on('request', handler);
      Object.defineProperty(this, '_conns', { value: new Set() });
      this.timeout = 0;
      this.keepAliveTimeout = 5000;
      this.maxHeadersCount = null;
      this.maxRequestsPerSocket = 0;
      this.headersTimeout = 60000;
      this.requestTimeout = 300000;
    }
    _accept(end) {
      const socket = new built.Socket();
      socket.remoteAddress = '::ffff:127.0.0.1';
      socket.remoteFamily = 'IPv6';
      const conn = { end, server: this, socket, busy: false, closed: false };
      conn._onNet = (kind, part) => serverPart(conn, kind, part);
      this._conns.add(conn);
      natives.accept(end, conn, true);
      this.emit('connection', socket);
    }
    // Node 19+: close() also closes the connections that wait for no response
    _closeIdle() {
      for (const c of this._conns) if (!c.busy) closeConnection(c);
    }
    closeIdleConnections() { this._closeIdle(); }
    closeAllConnections() {
      for (const c of this._conns) closeConnection(c);
    }
    setTimeout(ms, cb) {
      if (ms !== 0) throw unsupported('server.setTimeout');
      if (typeof cb === 'function') this.on('timeout', cb);
      return this;
    }
  }
  function closeConnection(c) {
    if (!c.closed) natives.close(c.end);
    dropConnection(c);
  }
  function dropConnection(c) {
    c.closed = true;
    if (c.server._conns.delete(c)) {
      c.server._connections--;
      c.server._maybeClosed();
    }
  }
  // What reaches a server connection: a request (kind 2), or the client's end or close.
  function serverPart(conn, kind, part) {
    if (kind === 3 || kind === 5) {
      if (kind === 5) conn.closed = true;
      closeConnection(conn);
      return;
    }
    if (kind !== 2 || conn.closed) return;
    conn.busy = true;
    const exchange = {
      keepAlive: part.keepAlive,
      toClient(p) {
        if (!conn.closed) natives.write(conn.end, p, 1);
      },
    };
    const sreq = new IncomingMessage();
    sreq.method = part.method;
    sreq.url = part.path;
    sreq.headers = part.headers;
    sreq.rawHeaders = rawOf(part.headers);
    sreq.socket = sreq.connection = conn.socket;
    const serverRes = new ServerResponse(sreq, exchange);
    serverRes.socket = serverRes.connection = conn.socket;
    serverRes.emitClose = false;
    serverRes.once('finish', () => {
      conn.busy = false;
      process.nextTick(() => serverRes.emit('close'));
      if (!exchange.keepAlive || !conn.server.listening) closeConnection(conn);
    });
    for (const b of part.body) if (b && b.length) sreq.push(b);
    sreq.push(null);
    sreq.complete = true;
    conn.server.emit('request', sreq, serverRes);
  }

  class ClientRequest extends EventEmitter {
    constructor(target, cb) {
      super();
      headerStore(this);
      this.method = target.method;
      this.path = target.path;
      this.host = target.host;
      this.port = target.port;
      this.agent = target.agent;
      this.headersSent = false;
      this.writableEnded = false;
      this.destroyed = false;
      this._body = [];
      if (typeof cb === 'function') this.once('response', cb);
      for (const k of Object.keys(target.headers || {})) this.setHeader(k, target.headers[k]);
    }
    write(chunk, encoding, cb) {
      if (typeof encoding === 'function') cb = encoding;
      this._body.push(toChunk(chunk, typeof encoding === 'string' ? encoding : undefined));
      if (typeof cb === 'function') process.nextTick(cb);
      return true;
    }
    end(chunk, encoding, cb) {
      if (typeof chunk === 'function') {
        cb = chunk;
        chunk = null;
      } else if (typeof encoding === 'function') {
        cb = encoding;
        encoding = undefined;
      }
      if (this.writableEnded) return this;
      if (chunk != null) this._body.push(toChunk(chunk, encoding));
      this.writableEnded = true;
      this.headersSent = true;
      if (typeof cb === 'function') this.once('finish', cb);
      startExchange(this);
      return this;
    }
    abort() { this.destroy(); }
    destroy(err) {
      if (this.destroyed) return this;
      this.destroyed = true;
      if (err) process.nextTick(() => this.emit('error', err));
      process.nextTick(() => this.emit('close'));
      return this;
    }
    setTimeout() { return this; }
    setNoDelay() {}
    setSocketKeepAlive() {}
  }
  for (const [k, f] of Object.entries(headerMethods)) {
    Object.defineProperty(ClientRequest.prototype, k, { value: f, writable: true, configurable: true });
  }

  // The global agent's kept-alive connections, by port (Node 20: keep-alive, LIFO).
  const freeSockets = new Map();
  // One request/response between a ClientRequest and a server on the machine: on a free
  // kept-alive connection (one hop), or on a new one (the handshake, then the request).
  function startExchange(req) {
    process.nextTick(() => req.emit('finish'));
    const keepAlive = req.agent !== false;
    const pool = freeSockets.get(req.port);
    let sock = keepAlive && pool && pool.length > 0 ? pool.pop() : null;
    let hops = 1;
    if (sock !== null) {
      natives.ref(sock.end, true);
    } else {
      const end = natives.connect(req.port, 'http');
      if (end < 0) {
        process.nextTick(() => req.emit('error', unsupported('an HTTP request to the net server on port ' + req.port)));
        return;
      }
      sock = { end, req: null, closed: false, keepAlive };
      sock._onNet = (kind, part) => clientPart(sock, kind, part);
      natives.accept(end, sock, true);
      hops = 2;
    }
    sock.req = req;
    sock.res = null;
    const hostHeader = req.getHeader('host') || 'localhost:' + req.port;
    const headers = received(req[kHeaders], { host: String(hostHeader), connection: keepAlive ? 'keep-alive' : 'close' });
    natives.write(sock.end, { method: req.method, path: req.path, headers, body: req._body, keepAlive }, hops);
  }
  function forget(sock) {
    for (const [, list] of freeSockets) {
      const i = list.indexOf(sock);
      if (i >= 0) list.splice(i, 1);
    }
  }
  // What reaches a client connection: connect (6), refused (4), a response part (2), the
  // server's end or close (3, 5).
  function clientPart(sock, kind, part) {
    const r = sock.req;
    if (kind === 6) return;
    if (kind === 4) {
      sock.closed = true;
      if (r === null || r.destroyed) return;
      r.emit('error', built.refused(r.port));
      r.emit('close');
      return;
    }
    if (kind === 3 || kind === 5) {
      if (!sock.closed) natives.close(sock.end);
      sock.closed = true;
      forget(sock);
      if (r !== null && !r.destroyed && (sock.res === null || !sock.res.complete)) {
        const e = codeError(Error, 'ECONNRESET', 'socket hang up');
        if (sock.res !== null) sock.res.destroy(e);
        else {
          r.emit('error', e);
          r.emit('close');
        }
      }
      return;
    }
    if (r === null || r.destroyed) return;
    if (part.head) {
      const clientRes = new IncomingMessage();
      sock.res = clientRes;
      clientRes.statusCode = part.head.statusCode;
      clientRes.statusMessage = part.head.statusMessage;
      clientRes.headers = part.head.headers;
      clientRes.rawHeaders = rawOf(part.head.headers);
      clientRes.req = r;
      clientRes.on('end', () => {
        clientRes.complete = true;
        process.nextTick(() => r.emit('close'));
        if (sock.keepAlive && !sock.closed) {
          // free for the next request after the user's 'end' listeners (Node's emitFreeNT)
          process.nextTick(() => {
            if (sock.closed) return;
            sock.req = null;
            natives.ref(sock.end, false);
            if (!freeSockets.has(r.port)) freeSockets.set(r.port, []);
            freeSockets.get(r.port).push(sock);
          });
        } else {
          if (!sock.closed) natives.close(sock.end);
          sock.closed = true;
        }
      });
      if (!r.emit('response', clientRes)) clientRes.resume();
    } else if (part.chunk) {
      if (sock.res) sock.res.push(part.chunk);
    } else if (part.end) {
      if (sock.res) sock.res.push(null);
    }
  }

  function isLocal(host) {
    return host === undefined || host === null || host === 'localhost' || host === '127.0.0.1' || host === '::1' || host === '[::1]';
  }
  // (url | options, [options], [cb]) → { host, port, path, method, headers } or a URL string
  function target(url, options, cb) {
    let opts = {};
    if (typeof url === 'string' || (url && typeof URL === 'function' && url instanceof URL)) {
      const href = String(url);
      const m = /^([a-z][a-z0-9+.-]*:)\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/:?#]*)(?::(\d+))?([^#]*)/i.exec(href);
      if (m === null) throw codeError(TypeError, 'ERR_INVALID_URL', 'Invalid URL');
      const port = m[3] ? Number(m[3]) : m[1].toLowerCase() === 'https:' ? 443 : 80;
      opts = { host: m[2], port, path: m[4] || '/', href };
    } else if (url && typeof url === 'object') {
      opts = { ...url };
    } else if (typeof url === 'function') {
      cb = url;
    }
    if (typeof options === 'function') cb = options;
    else if (options && typeof options === 'object') opts = { ...opts, ...options };
    const host = opts.hostname || opts.host;
    const port = opts.port === undefined ? 80 : Number(opts.port);
    return {
      local: isLocal(host),
      host: host || 'localhost',
      port,
      path: opts.path || '/',
      method: (opts.method || 'GET').toUpperCase(),
      headers: opts.headers,
      agent: opts.agent,
      href: opts.href,
      cb,
    };
  }
  function request(url, options, cb) {
    const t = target(url, options, cb);
    if (!t.local) {
      if (t.href === undefined) throw unsupported('http.request to ' + t.host + ' without a URL');
      if (t.method !== 'GET') throw unsupported('http methods other than GET on the virtual network');
      return virtualHttp.get(t.href, t.cb);
    }
    return new ClientRequest(t, t.cb);
  }
  function get(url, options, cb) {
    const req = request(url, options, cb);
    req.end();
    return req;
  }
  return {
    METHODS: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
    STATUS_CODES,
    Server,
    ServerResponse,
    IncomingMessage,
    ClientRequest,
    createServer(options, handler) {
      return new Server(options, handler);
    },
    request,
    get,
  };
};
