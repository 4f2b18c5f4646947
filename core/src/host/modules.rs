//! CommonJS modules of the project: `require('./server.js')` runs another file of the
//! virtual project once, with its own `exports`, `module`, `__filename`, `__dirname` and a
//! `require` that resolves from its directory, and returns its `module.exports` (cached
//! by path; a cycle sees the exports so far, as in Node).
//!
//! The engine compiles a program ahead of running it, so the files a program may require
//! are found first ([`discover`]: every `require` of a literal relative path, followed from
//! file to file) and compiled in with it (`bytecode::Program::modules`). A computed path
//! (`require(name)`) reaches only the files found that way; a file written at run time
//! cannot be required.

use super::{module_not_found, set_code};
use crate::builtins::arg;
use crate::bytecode::ModuleKind;
use crate::value::Value;
use crate::vm::{JsResult, Vm};
use std::collections::HashMap;

/// The most modules one program compiles in (a generated project cannot make a boot slow).
pub const MAX_MODULES: usize = 256;

/// Whether `request` names a file (relative or absolute) rather than a built-in module.
pub fn is_path(request: &str) -> bool {
    request.starts_with("./")
        || request.starts_with("../")
        || request.starts_with('/')
        || request == "."
        || request == ".."
}

/// `dir` joined with `rel`, with `.` and `..` resolved.
pub fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        vec![]
    } else {
        dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

/// The directory of a file path.
pub fn dirname(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some(("", _)) => "/",
        Some((d, _)) => d,
        None => ".",
    }
}

/// Node's resolution of a file request from `dir`: the path itself, then with `.js`,
/// `.json`, then `index.js` / `index.json` in it.
pub fn resolve(dir: &str, request: &str, exists: impl Fn(&str) -> bool) -> Option<String> {
    let base = join(dir, request);
    let candidates = [
        base.clone(),
        format!("{base}.js"),
        format!("{base}.json"),
        format!("{base}/index.js"),
        format!("{base}/index.json"),
    ];
    candidates.into_iter().find(|c| exists(c))
}

/// The literal requests of `require('...')` calls in `source` that name files.
fn literal_requests(source: &str) -> Vec<String> {
    let mut found = vec![];
    let mut rest = source;
    while let Some(i) = rest.find("require") {
        rest = &rest[i + "require".len()..];
        let after = rest.trim_start();
        let Some(after) = after.strip_prefix('(') else {
            continue;
        };
        let after = after.trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '\'' || *c == '"') else {
            continue;
        };
        let body = &after[1..];
        if let Some(end) = body.find([quote, '\n']) {
            let request = &body[..end];
            if is_path(request) {
                found.push(request.to_string());
            }
        }
    }
    found
}

/// The project files the program `main` (at `main_path`) may require, in the order they
/// are found: (absolute path, source). `files` holds the project by absolute path.
pub fn discover(
    main_path: &str,
    main: &str,
    files: &HashMap<String, String>,
) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = vec![];
    let mut pending = vec![(main_path.to_string(), main.to_string())];
    while let Some((path, source)) = pending.pop() {
        for request in literal_requests(&source) {
            let exists = |p: &str| files.contains_key(p);
            let Some(target) = resolve(dirname(&path), &request, exists) else {
                continue;
            };
            if target == main_path || found.iter().any(|(p, _)| *p == target) {
                continue;
            }
            if found.len() >= MAX_MODULES {
                return found;
            }
            let text = files[&target].clone();
            if !target.ends_with(".json") {
                pending.push((target.clone(), text.clone()));
            }
            found.push((target, text));
        }
    }
    found
}

/// A `require` function for a module in directory `dir`.
pub fn require_for(vm: &mut Vm, dir: &str) -> Value {
    let f = vm.make_native("require", 1, require, vec![Value::str(dir)]);
    Value::Obj(f)
}

/// `require(request)` of a module in directory `d[0]`: a file of the project, or a
/// built-in module.
fn require(vm: &mut Vm, this: Value, args: &[Value], d: &[Value]) -> JsResult {
    let request = vm.to_string(&arg(args, 0))?.to_string();
    if !is_path(&request) {
        return super::require(vm, this, args, &[]);
    }
    let dir = match d.first() {
        Some(v) => vm.to_string(v)?.to_string(),
        None => vm.host.cwd.clone(),
    };
    let program = vm.program.clone();
    let Some(path) = resolve(&dir, &request, |p| {
        program.modules.iter().any(|m| m.path == p) || p == &*vm.filename
    }) else {
        return Err(module_not_found(vm, &request));
    };
    if let Some(module) = vm.host.module_cache.get(&path).cloned() {
        return vm.get_by_name(&module, "exports");
    }
    if path == *vm.filename {
        // the main module requiring itself: its exports so far
        return match vm.host.main_module.clone() {
            Some(m) => vm.get_by_name(&m, "exports"),
            None => Ok(Value::Undefined),
        };
    }
    let Some(entry) = program.modules.iter().find(|m| m.path == path) else {
        return Err(module_not_found(vm, &request));
    };
    match &entry.kind {
        ModuleKind::Script(func) => {
            let (f, exports, args) = crate::module_call(vm, *func, &path);
            let module = args[2].clone();
            vm.host.module_cache.insert(path.clone(), module.clone());
            vm.call(&f, exports, &args)?;
            if let Value::Obj(m) = module {
                vm.put(m, "loaded", Value::Bool(true));
            }
            vm.get_by_name(&module, "exports")
        }
        ModuleKind::Json(text) => {
            let json = vm.get_by_name(&Value::Obj(vm.realm.global), "JSON")?;
            let parse = vm.get_by_name(&json, "parse")?;
            let value = match vm.call(&parse, json, &[Value::str(text)]) {
                Ok(v) => v,
                Err(e) => {
                    if let Value::Obj(o) = &e {
                        let message = vm.get_by_name(&e, "message")?;
                        let message = vm.to_string(&message)?.to_string();
                        vm.put(*o, "message", Value::str(&format!("{path}: {message}")));
                    }
                    return Err(e);
                }
            };
            let module = vm.new_object();
            vm.put(module, "exports", value.clone());
            vm.host.module_cache.insert(path, Value::Obj(module));
            Ok(value)
        }
        ModuleKind::SyntaxError(message) => {
            let e = vm.make_error(vm.realm.syntax_error_proto, message);
            set_code(vm, &e, "ERR_SYNTAX");
            vm.host.module_cache.remove(&path);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_like_node() {
        let files: HashMap<String, String> = [
            ("/p/server.js", ""),
            ("/p/lib/index.js", ""),
            ("/p/data.json", "{}"),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let exists = |p: &str| files.contains_key(p);
        assert_eq!(
            resolve("/p", "./server", exists).as_deref(),
            Some("/p/server.js")
        );
        assert_eq!(
            resolve("/p", "./server.js", exists).as_deref(),
            Some("/p/server.js")
        );
        assert_eq!(
            resolve("/p/a", "../lib", exists).as_deref(),
            Some("/p/lib/index.js")
        );
        assert_eq!(
            resolve("/p", "./data", exists).as_deref(),
            Some("/p/data.json")
        );
        assert_eq!(resolve("/p", "./missing", exists), None);
    }

    #[test]
    fn discovers_literal_requires_transitively() {
        let files: HashMap<String, String> = [
            ("/main.js", "require('./a')"),
            (
                "/a.js",
                "const b = require(\"./b.js\"); require(name); require('fs')",
            ),
            ("/b.js", "require('./a'); require('./c.json')"),
            ("/c.json", "[1]"),
            ("/unused.js", ""),
        ]
        .into_iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let found: Vec<String> = discover("/main.js", &files["/main.js"], &files)
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(found, ["/a.js", "/b.js", "/c.json"]);
    }
}
