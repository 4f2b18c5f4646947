//! The garbage collector: mark-sweep over the heap's object and environment slots.
//!
//! **When it runs.** Only at safe points, where no Rust code holds a heap reference the
//! collector cannot see. The host opens a *collection window* ([`Vm::with_gc_window`]) around
//! the jobs it starts (the main module, each timer / immediate / I/O / nextTick callback, each
//! microtask), after rooting what it holds. Inside the window the interpreter loop of the
//! job's own frames collects when enough was allocated: at that point every reference is in a
//! frame or a root. While a built-in calls back into JavaScript (`Array.prototype.map`, getters,
//! `sort` comparators, generator resumption) the native depth is higher than the window's and
//! nothing is collected, because the built-in's Rust locals are invisible to the marker.
//!
//! **Roots.** The value stack (arguments and operands of the running frames), the frames
//! (environments, handlers, callees, new.target, async/generator links, a suspended frame's
//! saved values), the realm's well-known objects, the microtask queue, pending rejections, the
//! host's queues, timers, immediates, I/O completions, thread-pool tasks, modules and
//! prototypes, and the values pushed with the window. Suspended generator and
//! async frames are reached through the objects that hold them. `Vm` and `HostState` are
//! destructured exhaustively below, so adding a field is a compile error until it is rooted.
//!
//! **Weak tables.** The realm's RegExp side table and the host's hash states drop entries of
//! dead objects.
//!
//! **Traces.** While a recorder listens, freed slots are emptied but never reused, so object
//! and environment ids in a trace stay unique for the whole run.

use super::{Frame, FrameKind, Job, Realm, Vm};
use crate::heap::*;
use crate::host::HostState;
use crate::value::{ObjId, Value};

/// Allocations (objects + environments) before the first collection; later collections wait
/// for as many allocations as there were live slots after the previous one (heap doubling).
#[cfg(not(looplab_gc_stress))]
pub const GC_MIN_ALLOCATIONS: usize = 100_000;
/// Stress builds (`RUSTFLAGS='--cfg looplab_gc_stress'`) collect at nearly every safe point,
/// which makes a missing root show up in ordinary tests.
#[cfg(looplab_gc_stress)]
pub const GC_MIN_ALLOCATIONS: usize = 1;

/// Mark state of one collection.
struct Marker {
    objs: Vec<bool>,
    envs: Vec<bool>,
    obj_work: Vec<ObjId>,
    env_work: Vec<EnvId>,
}

impl Marker {
    fn obj(&mut self, o: ObjId) {
        if let Some(m) = self.objs.get_mut(o as usize) {
            if !*m {
                *m = true;
                self.obj_work.push(o);
            }
        }
    }
    fn env(&mut self, e: EnvId) {
        if let Some(m) = self.envs.get_mut(e as usize) {
            if !*m {
                *m = true;
                self.env_work.push(e);
            }
        }
    }
    fn value(&mut self, v: &Value) {
        if let Value::Obj(o) = v {
            self.obj(*o);
        }
    }
    fn values<'a>(&mut self, vs: impl IntoIterator<Item = &'a Value>) {
        for v in vs {
            self.value(v);
        }
    }
    fn reaction(&mut self, r: &Reaction) {
        if let Some(c) = &r.capability {
            self.values([&c.promise, &c.resolve, &c.reject]);
        }
        self.value(&r.handler);
    }
    fn frame(&mut self, f: &Frame) {
        self.values(&f.saved);
        self.env(f.env);
        for h in &f.handlers {
            self.env(h.env);
        }
        self.obj(f.callee);
        self.value(&f.new_target);
        match &f.kind {
            FrameKind::Normal | FrameKind::Construct => {}
            FrameKind::Async { promise, holder } => {
                self.obj(*promise);
                if let Some((h, ful, rej)) = holder {
                    self.obj(*h);
                    self.obj(*ful);
                    self.obj(*rej);
                }
            }
            FrameKind::Generator { gen } => self.obj(*gen),
        }
    }
    fn job(&mut self, j: &Job) {
        match j {
            Job::Reaction { reaction, argument } => {
                self.reaction(reaction);
                self.value(argument);
            }
            Job::ResolveThenable {
                promise,
                thenable,
                then,
            } => {
                self.obj(*promise);
                self.values([thenable, then]);
            }
            Job::Callback { func } => self.value(func),
        }
    }
    /// Marks what object `o` references.
    fn trace_object(&mut self, o: &Object) {
        if let Some(p) = o.proto {
            self.obj(p);
        }
        for p in &o.props {
            match &p.slot {
                Slot::Data(v) => self.value(v),
                Slot::Accessor { get, set } => self.values([get, set]),
            }
        }
        match &o.kind {
            ObjKind::Ordinary
            | ObjKind::Error
            | ObjKind::BoxedString(_)
            | ObjKind::BoxedNumber(_)
            | ObjKind::BoxedBool(_)
            | ObjKind::Date(_)
            | ObjKind::ArrayBuffer { .. }
            | ObjKind::TextEncoder
            | ObjKind::TextDecoder { .. }
            | ObjKind::Arguments => {}
            ObjKind::TypedArray { buffer, .. } | ObjKind::DataView { buffer, .. } => {
                self.obj(*buffer)
            }
            ObjKind::Array(items) => self.values(items),
            ObjKind::Function(fk) => match fk {
                FuncKind::Closure {
                    env,
                    this_val,
                    home,
                    func: _,
                } => {
                    self.env(*env);
                    if let Some(t) = this_val {
                        self.value(t);
                    }
                    if let Some(h) = home {
                        self.obj(*h);
                    }
                }
                FuncKind::Native { data, id: _ } => self.values(data.iter()),
                FuncKind::Bound { target, this, args } => {
                    self.obj(*target);
                    self.value(this);
                    self.values(args.iter());
                }
            },
            ObjKind::Promise { state, handled: _ } => match state {
                PromiseState::Pending { fulfill, reject } => {
                    for r in fulfill.iter().chain(reject) {
                        self.reaction(r);
                    }
                }
                PromiseState::Fulfilled(v) | PromiseState::Rejected(v) => self.value(v),
            },
            ObjKind::Map(entries, _) => {
                for (k, v) in entries {
                    self.values([k, v]);
                }
            }
            ObjKind::Set(items, _) => self.values(items),
            ObjKind::Generator(st) => {
                if let GenState::Suspended(f) = st {
                    self.frame(f);
                }
            }
            ObjKind::AsyncFrame(f) => {
                if let Some(f) = f {
                    self.frame(f);
                }
            }
            ObjKind::ArrayIter { target, .. } => self.value(target),
        }
    }
}

impl Vm {
    /// Runs `f` with collections allowed in the interpreter loop of the JavaScript it calls
    /// directly (see the module docs). `roots` are values the caller holds across `f` that no
    /// frame or queue references.
    pub fn with_gc_window<R>(&mut self, roots: &[Value], f: impl FnOnce(&mut Vm) -> R) -> R {
        let saved_depth = self.gc_depth;
        let saved_roots = self.gc_roots.len();
        self.gc_roots.extend_from_slice(roots);
        if self.native_depth == 0 && self.gc_due() {
            self.collect_garbage();
        }
        self.gc_depth = self.native_depth + 1;
        let r = f(self);
        self.gc_depth = saved_depth;
        self.gc_roots.truncate(saved_roots);
        r
    }

    /// Whether enough was allocated since the last collection to collect again.
    #[inline]
    pub fn gc_due(&self) -> bool {
        self.heap.allocated >= self.gc_threshold
    }

    /// Collects now. Only call at a safe point: every live value must be reachable from the
    /// roots listed in the module docs.
    pub fn collect_garbage(&mut self) {
        let reuse = !self.recorder.recording() && !self.recorder.wants_instructions();
        let mut m = Marker {
            objs: vec![false; self.heap.objects.len()],
            envs: vec![false; self.heap.envs.len()],
            obj_work: Vec::new(),
            env_work: Vec::new(),
        };
        self.mark_roots(&mut m);
        loop {
            if let Some(o) = m.obj_work.pop() {
                m.trace_object(&self.heap.objects[o as usize]);
            } else if let Some(e) = m.env_work.pop() {
                let env = &self.heap.envs[e as usize];
                m.values(&env.slots);
                if let Some(p) = env.parent {
                    m.env(p);
                }
            } else {
                break;
            }
        }
        let live = self.heap.sweep(&m.objs, &m.envs, reuse);
        self.realm.regexps.retain(|o, _| m.objs[*o as usize]);
        // Like the RegExp table, the hash states are weak: a dead Hash object's state goes.
        self.host.hashes.retain(|o, _| m.objs[*o as usize]);
        self.gc_threshold = live.max(GC_MIN_ALLOCATIONS);
        self.gc_count += 1;
    }

    fn mark_roots(&self, m: &mut Marker) {
        let Vm {
            heap: _,
            program: _,
            str_atoms: _,
            str_vals: _,
            frames,
            natives: _,
            realm,
            names: _,
            syms: _,
            microtasks,
            steps: _,
            budget: _,
            heap_budget: _,
            clock_ns: _,
            instr_cost_ns: _,
            abort: _,
            new_target,
            native_depth: _,
            max_frames: _,
            recorder: _,
            pending_rejections,
            host,
            ids: _,
            gen_return_signal,
            stack,
            args_pool: _,
            source: _,
            filename: _,
            line_starts: _,
            gc_roots,
            gc_depth: _,
            gc_threshold: _,
            gc_count: _,
            yield_depth: _,
            slice_end_ns: _,
            pending_gen_returns,
            last_throw,
        } = self;
        m.values(stack.iter());
        for f in frames {
            m.frame(f);
        }
        mark_realm(realm, m);
        for j in microtasks {
            m.job(j);
        }
        if let Some(v) = new_target {
            m.value(v);
        }
        for p in pending_rejections {
            m.obj(*p);
        }
        if let Some(s) = gen_return_signal {
            m.obj(*s);
        }
        for (generator, signal, value) in pending_gen_returns {
            m.obj(*generator);
            m.obj(*signal);
            m.value(value);
        }
        if let Some((thrown_in, _, _)) = last_throw {
            m.obj(*thrown_in);
        }
        m.values(gc_roots);
        mark_host(host, m);
    }
}

fn mark_realm(r: &Realm, m: &mut Marker) {
    let Realm {
        global,
        object_proto,
        function_proto,
        array_proto,
        string_proto,
        number_proto,
        boolean_proto,
        symbol_proto,
        promise_proto,
        promise_ctor,
        error_proto,
        type_error_proto,
        range_error_proto,
        reference_error_proto,
        syntax_error_proto,
        aggregate_error_proto,
        iterator_proto,
        array_iterator_proto,
        generator_proto,
        map_proto,
        set_proto,
        date_proto,
        async_from_sync_proto,
        typed,
        regexp_proto,
        // weak: swept in `collect_garbage`
        regexps: _,
        symbol_registry: _,
        join_stack,
        random: _,
    } = r;
    for o in regexp_proto.iter().chain(join_stack) {
        m.obj(*o);
    }
    let crate::builtins::typed_array::TypedRealm {
        array_buffer_proto,
        shared_array_buffer_proto,
        data_view_proto,
        typed_array_proto,
        protos,
    } = typed;
    for o in [
        array_buffer_proto,
        shared_array_buffer_proto,
        data_view_proto,
        typed_array_proto,
    ]
    .into_iter()
    .chain(protos)
    {
        m.obj(*o);
    }
    for o in [
        global,
        object_proto,
        function_proto,
        array_proto,
        string_proto,
        number_proto,
        boolean_proto,
        symbol_proto,
        promise_proto,
        promise_ctor,
        error_proto,
        type_error_proto,
        range_error_proto,
        reference_error_proto,
        syntax_error_proto,
        aggregate_error_proto,
        iterator_proto,
        array_iterator_proto,
        generator_proto,
        map_proto,
        set_proto,
        date_proto,
        async_from_sync_proto,
    ] {
        m.obj(*o);
    }
}

fn mark_host(h: &HostState, m: &mut Marker) {
    let HostState {
        output: _,
        next_ticks,
        timers,
        immediates,
        cleared_immediates: _,
        io,
        next_id: _,
        seq: _,
        process,
        timeout_proto,
        immediate_proto,
        buffer_proto,
        async_gen_start,
        modules,
        module_cache,
        main_module,
        prelude,
        fs_latency_ns: _,
        exiting: _,
        group_indent: _,
        notes: _,
        files: _,
        dirs: _,
        cwd: _,
        reported_rejections,
        pool,
        network: _,
        cost: _,
        cpu_count: _,
        hash_proto,
        // weak: swept in `collect_garbage`
        hashes: _,
        looping,
        link,
        identity: _,
        stdio,
        stdio_factory,
        stdio_shut: _,
    } = h;
    for v in stdio.iter().chain([stdio_factory]).flatten() {
        m.value(v);
    }
    for v in looping.values() {
        m.value(v);
    }
    if let Some(l) = link {
        for v in l.values() {
            m.value(&v);
        }
    }
    if let Some(p) = hash_proto {
        m.obj(*p);
    }
    for (f, args) in next_ticks {
        m.value(f);
        m.values(args);
    }
    for t in timers.values() {
        m.value(&t.callback);
        m.values(&t.args);
        m.obj(t.object);
    }
    for (_, f, args) in immediates {
        m.value(f);
        m.values(args);
    }
    for c in io {
        m.value(&c.callback);
        m.values(&c.args);
    }
    for o in [process, timeout_proto, immediate_proto] {
        m.obj(*o);
    }
    for o in [buffer_proto, prelude].into_iter().flatten() {
        m.obj(*o);
    }
    if let Some(v) = async_gen_start {
        m.value(v);
    }
    for o in reported_rejections {
        m.obj(*o);
    }
    m.values(modules.values());
    m.values(module_cache.values());
    m.values(main_module.iter());
    for (callback, args) in pool.tasks.values() {
        m.value(callback);
        m.values(args);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{run, RunOptions};

    fn vm_with(src: &str) -> Vm {
        let program = crate::compile(src).expect("compiles");
        Vm::new(program, src, "/t.js")
    }

    #[test]
    fn unreachable_cycles_are_freed_and_slots_reused() {
        let mut vm = vm_with("");
        vm.collect_garbage();
        let base = vm.heap.object_count();
        // a cycle a <-> b that nothing roots
        let a = vm.new_object();
        let b = vm.new_object();
        vm.put(a, "other", Value::Obj(b));
        vm.put(b, "other", Value::Obj(a));
        // c is kept by an extra root
        let c = vm.new_object();
        vm.with_gc_window(&[Value::Obj(c)], |vm| vm.collect_garbage());
        assert_eq!(vm.heap.object_count(), base + 1);
        assert!(vm.heap.free_objs.contains(&a) && vm.heap.free_objs.contains(&b));
        assert!(!vm.heap.free_objs.contains(&c));
        let d = vm.new_object();
        assert!(d == a || d == b, "a freed slot is reused");
    }

    fn check(src: &str, expected: &str) {
        let out = run(src, &RunOptions::default());
        assert_eq!(out.stderr, "");
        assert_eq!(out.stdout, expected);
    }

    #[test]
    fn garbage_far_beyond_the_heap_budget_runs_when_little_is_live() {
        // 3M short-lived objects and closures against a 200k-object budget
        let src = r#"
            let keep = [];
            let sum = 0;
            for (let i = 0; i < 1000000; i++) {
              const o = { i, next: null };
              o.next = { prev: o };            // a cycle, garbage right away
              const f = () => o.i;
              sum += f();
              if (i % 100000 === 0) keep.push(o);
            }
            console.log(sum, keep.length, keep[3].next.prev.i);
        "#;
        let opts = RunOptions {
            heap_budget: 200_000,
            ..RunOptions::default()
        };
        let out = run(src, &opts);
        assert_eq!(out.stderr, "");
        assert_eq!(out.stdout, "499999500000 10 300000\n");
        assert_eq!(out.exit_code, 0);
    }

    #[test]
    fn live_data_over_the_heap_budget_still_stops_the_run() {
        let src =
            "const a = []; for (let i = 0; i < 1e6; i++) a.push({ i }); console.log(a.length);";
        let opts = RunOptions {
            heap_budget: 200_000,
            ..RunOptions::default()
        };
        let out = run(src, &opts);
        assert_eq!(out.exit_code, crate::EXIT_HEAP);
        assert!(out.stderr.contains("heap budget"), "{}", out.stderr);
    }

    #[test]
    fn values_reachable_only_from_closures_promises_timers_generators_and_maps_survive() {
        // Enough garbage between the registration and the use to force several collections.
        let src = r#"
            function churn() { let s = 0; for (let i = 0; i < 300000; i++) { const o = { i }; s += o.i; } return s; }
            function counter() { let n = { v: 0 }; return () => ++n.v; }
            const c = counter();
            const later = new Promise((res) => setTimeout(() => res({ msg: 'timer value' }), 5));
            const m = new Map([[{ k: 1 }, { v: 'map value' }]]);
            const key = {}; const tagged = new Set([key]); key.v = { w: 'set value' };
            function* gen() { const local = { g: 'generator local' }; yield 1; yield local.g; }
            const g = gen(); g.next();
            async function waiter() { const mine = { a: 'async local' }; await null; churn(); return mine.a; }
            const w = waiter();
            setImmediate(() => { churn(); console.log('immediate', [...m.values()][0].v); });
            process.nextTick((x) => { churn(); console.log('tick', x.t); }, { t: 'tick arg' });
            churn(); c(); churn();
            console.log('closure', c(), g.next().value, [...tagged][0].v.w);
            w.then((v) => console.log(v));
            later.then((v) => { churn(); console.log(v.msg); });
        "#;
        check(
            src,
            "closure 2 generator local set value\ntick tick arg\nasync local\ntimer value\nimmediate map value\n",
        );
    }
}
