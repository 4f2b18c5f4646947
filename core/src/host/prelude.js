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
exports.http = {
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
