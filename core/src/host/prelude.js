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

  // The parent's end of a child's stdout or stderr: flowing as soon as it has a 'data'
  // listener; 'end' and then 'close' follow the child's end of the pipe on later ticks.
  class PipeReadable extends EventEmitter {
    constructor() {
      super();
      this.readable = true;
      this.readableEnded = false;
      this.destroyed = false;
      this.readableFlowing = null;
      this._encoding = null;
      this._buffer = [];
      this._ended = false;
      this._endEmitted = false;
    }
    setEncoding(encoding) { this._encoding = String(encoding).toLowerCase(); return this; }
    _add(name, listener, prepend, once) {
      super._add(name, listener, prepend, once);
      if (name === 'data' && this.readableFlowing !== false) this.resume();
      return this;
    }
    resume() {
      if (!this.readableFlowing) {
        this.readableFlowing = true;
        process.nextTick(() => this._flow());
      }
      return this;
    }
    pause() { this.readableFlowing = false; return this; }
    isPaused() { return this.readableFlowing === false; }
    _chunk(text) { return this._encoding ? text : Buffer.from(text); }
    _flow() {
      while (this.readableFlowing && this._buffer.length > 0) this.emit('data', this._chunk(this._buffer.shift()));
      this._maybeEnd();
    }
    _push(text) {
      if (this.destroyed) return;
      if (text === null) {
        this._ended = true;
        this._maybeEnd();
      } else if (this.readableFlowing && this._buffer.length === 0) {
        this.emit('data', this._chunk(text));
      } else {
        this._buffer.push(text);
      }
    }
    _maybeEnd() {
      if (!this._ended || this._endEmitted || this._buffer.length > 0 || !this.readableFlowing) return;
      this._endEmitted = true;
      process.nextTick(() => {
        this.readableEnded = true;
        this.readable = false;
        this.emit('end');
        this.destroy();
      });
    }
    destroy() {
      if (this.destroyed) return this;
      this.destroyed = true;
      this.readable = false;
      process.nextTick(() => this.emit('close'));
      return this;
    }
    pipe(dest) {
      this.on('data', (chunk) => dest.write(chunk));
      if (dest !== process.stdout && dest !== process.stderr) this.on('end', () => dest.end());
      return dest;
    }
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
    if (owner[kAdvanced]) cp.send(port, message, true);
    else cp.send(port, JSON.stringify(message), false);
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
          stream = i === 0 ? new PipeWritable(failed ? undefined : result[0], !failed && result[2]) : new PipeReadable();
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

  function fork(modulePath, args, options) {
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

  // A Node child's `process`: its end of the channel (IPC when `ipc`).
  function setupChild(port, ipc, advanced) {
    Object.defineProperty(process, kPort, { value: port });
    cp.bind(port, process);
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
    // the channel keeps the child alive while something listens to it
    const keeps = (name) => name === 'message' || name === 'disconnect';
    Object.defineProperty(process, '_add', {
      value: function (name, listener, prepend, once) {
        EventEmitter.prototype._add.call(this, name, listener, prepend, once);
        if (keeps(name) && process.connected) cp.ref(port, true);
        return this;
      },
    });
    Object.defineProperty(process, 'removeListener', {
      value: function (name, listener) {
        EventEmitter.prototype.removeListener.call(this, name, listener);
        if (keeps(name) && process.listenerCount('message') + process.listenerCount('disconnect') === 0) cp.ref(port, false);
        return this;
      },
    });
  }

  return {
    module: {
      ChildProcess, exec, execFile, execFileSync, execSync, fork, spawn, spawnSync,
      _forkChild: undefined,
    },
    dispatch,
    setupChild,
    kOnline,
  };
};
