//! The compact instruction set executed by the VM, the per-function code unit, and the
//! disassembler used by snapshot tests and the trace.

use std::fmt::Write;

/// One VM instruction. The operand stack is per frame; comments give the stack effect.
#[derive(Clone, Debug, PartialEq)]
pub enum Instr {
    // ---- constants: -> v
    Undef,
    Null,
    True,
    False,
    Num(f64),
    /// Index into the program's string constant table.
    Str(u32),
    // ---- stack shuffling
    Pop,
    Dup,
    /// a b -> a b a b
    Dup2,
    /// a b -> b a
    Swap,
    /// a b c -> c a b
    RotRight3,
    /// a b c d -> d a b c
    RotRight4,
    // ---- scoped variables (depth = number of environment hops)
    GetVar {
        depth: u16,
        slot: u16,
    },
    /// v -> v (stores, keeps value)
    SetVar {
        depth: u16,
        slot: u16,
    },
    /// v -> (initialises a let/const/class binding, leaving TDZ)
    InitVar {
        depth: u16,
        slot: u16,
    },
    /// Assignment to a const binding: throws TypeError.
    ConstAssign(u32),
    GetGlobal(u32),
    SetGlobal(u32),
    TypeofGlobal(u32),
    /// Push a new environment with n slots (TDZ-initialised).
    PushEnv(u16),
    PopEnv,
    /// Replace the current environment with a copy (per-iteration `let` bindings).
    CopyEnv,
    // ---- properties
    /// obj -> value
    GetProp(u32),
    /// obj value -> value
    SetProp(u32),
    /// obj key -> value
    GetElem,
    /// obj key value -> value
    SetElem,
    /// obj -> bool
    DeleteProp(u32),
    /// obj key -> bool
    DeleteElem,
    /// this -> value: `super.name` lookup on the home object's prototype.
    GetSuper(u32),
    // ---- operators
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Exp,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    UShr,
    Eq,
    Ne,
    StrictEq,
    StrictNe,
    Lt,
    Le,
    Gt,
    Ge,
    InstanceOf,
    In,
    Neg,
    ToNumber,
    /// ToNumeric then +1 / -1
    Inc,
    Dec,
    Not,
    BitNot,
    Typeof,
    /// v -> string (template literal substitution)
    ToStringValue,
    // ---- control flow (absolute targets)
    Jump(u32),
    /// pops
    JumpIfFalse(u32),
    /// pops
    JumpIfTrue(u32),
    /// keeps the value when jumping, pops otherwise
    JumpIfFalseKeep(u32),
    JumpIfTrueKeep(u32),
    /// keeps value if it is NOT nullish and jumps; pops it otherwise (for `??`)
    JumpIfNotNullishKeep(u32),
    /// v -> (jumps if nullish, leaving `undefined` on the stack) / v (optional chaining)
    JumpIfNullishUndef(u32),
    // ---- calls: callee this args... -> result
    Call(u16),
    /// callee this argsArray -> result
    CallSpread,
    /// callee args... -> object
    New(u16),
    /// callee argsArray -> object
    NewSpread,
    /// args... -> this (calls the parent constructor in a derived constructor)
    SuperCall(u16),
    SuperCallSpread,
    Return,
    Throw,
    /// Install an exception handler jumping to the target.
    PushHandler(u32),
    PopHandler,
    // ---- literals
    NewObject,
    NewArray,
    /// arr v -> arr
    ArrayPush,
    /// arr -> arr (length+1, a hole)
    ArrayHole,
    /// arr iterable -> arr
    ArraySpread,
    /// obj key value -> obj
    DefineField,
    /// obj value -> obj
    DefineNamed(u32),
    /// obj key fn -> obj (kind: 0 method, 1 getter, 2 setter; flags enumerable for literals)
    DefineMethod {
        kind: u8,
        enumerable: bool,
    },
    /// obj src -> obj
    CopyDataProps,
    /// src excludedKeysArray -> newObject
    ObjectRest,
    /// Create a closure for function `index` of the program.
    Closure(u32),
    /// superclass-or-hole ctor -> ctor proto (wire up a class)
    MakeClass {
        has_super: bool,
    },
    /// -> the n-th argument (or undefined)
    Arg(u16),
    /// -> undefined-or-array (the rest arguments from index n)
    RestArgs(u16),
    /// -> arguments object
    Arguments,
    /// -> the function's new.target
    NewTarget,
    /// value -> value; a TypeError if it is null or undefined (an object pattern with no
    /// property to read, `const {} = x` or `const { ...rest } = x`, must still refuse them)
    RequireObjectCoercible,
    // ---- iteration
    /// iterable -> iterator next
    GetIterator,
    /// iterable -> iterator next (async iteration; sync iterators are wrapped)
    GetAsyncIterator,
    /// iterator next -> iterator next result
    IterCall,
    /// result -> done
    IterDone,
    /// result -> value
    IterValue,
    /// iterator next -> (calls iterator.return if present)
    IterClose,
    /// obj -> keysArray index
    ForInPrepare,
    /// keysArray index -> keysArray index+1 key   or jumps when exhausted
    ForInNext(u32),
    // ---- suspension
    Await,
    Yield,
    /// v -> (yield* delegation is compiled as a loop using Yield)
    Debugger,
    Nop,
    /// At the start of a catch clause: rethrows the internal generator-return signal so that
    /// `return()` on a suspended generator runs only finally blocks.
    CheckCatchable,
    /// Puts a binding back into its temporal dead zone (entering a closure-free block again).
    Tdz {
        depth: u16,
        slot: u16,
    },
}

/// How a throwing instruction names its operand in V8's message. V8 renders these texts from
/// its AST at throw time; the compiler records them per instruction instead (string-table
/// indices), so the VM never reads source text to word an error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ErrorSite {
    /// A call's callee or a `new` target: "o.f(...).g is not a function".
    Callee(u32),
    /// The callee of a call whose result is iterated at once (`for (v of o.f())`,
    /// `[...o.f()]`, `const [a] = o.f()`): "o.f is not a function or its return value is not
    /// iterable".
    IteratedCallee(u32),
    /// A GetIterator operand V8 names: "x is not iterable"; `call` when it is a call's result
    /// ("o.f is not a function or its return value is not iterable").
    Iterable { text: u32, call: bool },
    /// A GetIterator operand V8 describes by its value: "number 5 is not iterable (cannot
    /// read property Symbol(Symbol.iterator))" (also what built-ins say).
    IterableValue,
    /// A spread argument before other arguments that is a call's result: V8 names the callee
    /// but words the rest as for a value ("o.f is not iterable (cannot read property …)").
    IterableCallResult(u32),
    /// The one, final spread argument of a call: "Spread syntax requires
    /// ...iterable[Symbol.iterator] to be a function", or "x is not iterable (cannot read
    /// property undefined)" for null/undefined.
    SpreadArgument(u32),
    /// The check or first property read of an object pattern: "Cannot destructure property
    /// 'a' of 'x' as it is undefined."
    Destructure(Subject),
    /// A let/const/class binding or `this` read or written (for TDZ errors).
    Binding(u32),
}

/// What a destructuring error calls the value being destructured.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Subject {
    /// The initializer's source as V8 renders it (string-table index).
    Text(u32),
    /// The value with its type, as V8 describes a value it has no source for: 'object null'
    /// (parameters, nested patterns).
    TypedValue,
}

/// Kind of a compiled function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FuncFlavor {
    Normal,
    Arrow,
    Method,
    ClassConstructor { derived: bool },
    Script,
}

/// One compiled function.
#[derive(Clone, Debug)]
pub struct FunctionCode {
    pub name: String,
    pub flavor: FuncFlavor,
    pub is_async: bool,
    pub is_generator: bool,
    /// Declared parameter count (the function's `length`).
    pub param_count: u16,
    /// Number of slots in the function's top environment.
    pub env_size: u16,
    /// Slot of `this` in the top environment (non-arrow functions).
    pub this_slot: Option<u16>,
    /// Slot of the function's own name binding (named function expressions).
    pub self_slot: Option<u16>,
    pub code: Vec<Instr>,
    /// Source offset (byte) of each instruction, parallel to `code`.
    pub spans: Vec<u32>,
    /// Source offset of the function itself.
    pub start: u32,
    /// Source offset just past the function's text (0 when unknown).
    pub end: u32,
    /// Source text of the function (for Function.prototype.toString / class detection).
    pub is_class: bool,
    pub has_super_class: bool,
    /// Part of the built-in prelude (hidden from stack traces).
    pub internal: bool,
    /// The file its source is in: 0 the program, k > 0 `Program::files[k - 1]` (a module
    /// of the project compiled in with it).
    pub file: u16,
    /// Statement starts for the trace: (pc of the statement's first instruction, source
    /// start, source end), in emission order.
    pub stmts: Vec<(u32, u32, u32)>,
    /// Names of the top environment's slots (block-scoped names carry a `#n` suffix).
    pub slot_names: Vec<String>,
    /// Block scopes with a runtime environment (closures capture them): (pc of `PushEnv`, pc of
    /// its `PopEnv`, slot names), for the trace's view of block-scoped locals.
    pub block_envs: Vec<(u32, u32, Vec<String>)>,
    /// No closure can capture this function's environment, so it is recycled on return.
    pub reuse_env: bool,
    /// Strict-mode code (sloppy functions box `this` and default it to globalThis).
    pub strict: bool,
    /// (pc, site) for instructions whose error message names source text, sorted by pc.
    pub error_sites: Vec<(u32, ErrorSite)>,
}

impl FunctionCode {
    /// The error site recorded for the instruction at `pc`.
    pub fn error_site(&self, pc: usize) -> Option<ErrorSite> {
        let i = self
            .error_sites
            .binary_search_by_key(&(pc as u32), |(p, _)| *p)
            .ok()?;
        Some(self.error_sites[i].1)
    }
}

/// A compiled program: the function table (index 0 is the script) and constants.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub functions: Vec<FunctionCode>,
    pub strings: Vec<String>,
    /// Index of the prelude's top-level function, if a prelude was compiled in.
    pub prelude: Option<u32>,
    /// The project's other files the program may `require` (see `host::modules`), compiled
    /// in with it: their sources (for positions) and what each path holds.
    pub files: Vec<SourceFile>,
    pub modules: Vec<ModuleEntry>,
}

/// The source of a module compiled in with the program.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Absolute path (what `__filename` and stack traces show).
    pub name: String,
    pub source: std::rc::Rc<str>,
    /// Byte offset of each line's start.
    pub line_starts: Vec<u32>,
}

impl SourceFile {
    pub fn new(name: &str, source: &str) -> SourceFile {
        let mut line_starts = vec![0u32];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i as u32 + 1);
            }
        }
        SourceFile {
            name: name.to_string(),
            source: source.into(),
            line_starts,
        }
    }

    /// Line and column (1-based) of a byte offset.
    pub fn line_col(&self, offset: u32) -> (u32, u32) {
        line_col_in(&self.source, &self.line_starts, offset)
    }
}

/// Line and column (1-based) of byte `offset` of `source`, whose lines start at
/// `line_starts`; the column counts characters.
pub fn line_col_in(source: &str, line_starts: &[u32], offset: u32) -> (u32, u32) {
    let line = match line_starts.binary_search(&offset) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    };
    let start = line_starts.get(line).copied().unwrap_or(0);
    let col = source
        .get(start as usize..offset as usize)
        .map(|s| s.chars().count())
        .unwrap_or(0);
    (line as u32 + 1, col as u32 + 1)
}

/// What a path of the project holds for `require`.
#[derive(Clone, Debug)]
pub struct ModuleEntry {
    /// Absolute path.
    pub path: String,
    pub kind: ModuleKind,
}

#[derive(Clone, Debug)]
pub enum ModuleKind {
    /// A script: its top-level function.
    Script(u32),
    /// A `.json` file: its text (parsed when required).
    Json(String),
    /// A script that does not parse: the `SyntaxError` message `require` throws.
    SyntaxError(String),
}

impl Program {
    /// Human-readable listing of every function, one instruction per line.
    pub fn disassemble(&self) -> String {
        let mut out = String::new();
        for (i, f) in self.functions.iter().enumerate() {
            let _ = writeln!(
                out,
                "fn #{i} {:?} {:?}{}{} params={} env={}",
                f.name,
                f.flavor,
                if f.is_async { " async" } else { "" },
                if f.is_generator { " generator" } else { "" },
                f.param_count,
                f.env_size
            );
            for (pc, ins) in f.code.iter().enumerate() {
                let _ = writeln!(out, "  {pc:4}  {}", self.show(ins));
            }
        }
        out
    }

    fn show(&self, ins: &Instr) -> String {
        let s = |i: &u32| {
            format!(
                "{:?}",
                self.strings
                    .get(*i as usize)
                    .map(String::as_str)
                    .unwrap_or("?")
            )
        };
        match ins {
            Instr::Str(i) => format!("Str {}", s(i)),
            Instr::GetGlobal(i) => format!("GetGlobal {}", s(i)),
            Instr::SetGlobal(i) => format!("SetGlobal {}", s(i)),
            Instr::TypeofGlobal(i) => format!("TypeofGlobal {}", s(i)),
            Instr::GetProp(i) => format!("GetProp {}", s(i)),
            Instr::SetProp(i) => format!("SetProp {}", s(i)),
            Instr::DeleteProp(i) => format!("DeleteProp {}", s(i)),
            Instr::GetSuper(i) => format!("GetSuper {}", s(i)),
            Instr::DefineNamed(i) => format!("DefineNamed {}", s(i)),
            Instr::ConstAssign(i) => format!("ConstAssign {}", s(i)),
            Instr::GetVar { depth, slot } => format!("GetVar {depth}:{slot}"),
            Instr::SetVar { depth, slot } => format!("SetVar {depth}:{slot}"),
            Instr::InitVar { depth, slot } => format!("InitVar {depth}:{slot}"),
            other => format!("{other:?}"),
        }
    }
}
