//! The simulator's regular expressions on the browser's own `RegExp` (in the simulator worker,
//! V8's irregexp: the engine Node itself uses). The page's module is built without core's
//! `regress` feature, so this is its only engine; [`install`] puts it in place before the first
//! run. Matching works on UTF-16 code units like the core's strings; the pattern is compiled
//! once with the `d` flag (capture indices) and `g` (search from `lastIndex`), and the core
//! keeps its own `lastIndex`, sticky and global handling.

use std::cell::RefCell;

use js_sys::{Array, Function, JsString, Reflect};
use looplab_core::builtins::regexp::{self, Match, Matcher, RegexEngine};
use wasm_bindgen::prelude::*;

// Plain js-sys calls, no inline JavaScript: this module is compiled into the workers' module,
// whose wasm-bindgen snippets would share a directory with the page module's (both come from
// the crate `looplab-web`) and overwrite them.

/// `new RegExp(pattern, flags)`, or the SyntaxError it throws.
fn regex_compile(pattern: &str, flags: &str) -> Result<JsValue, JsValue> {
    let ctor: Function = Reflect::get(&js_sys::global(), &"RegExp".into())?.dyn_into()?;
    let args = Array::of2(&pattern.into(), &flags.into());
    Reflect::construct(&ctor, &args)
}

/// `[start, end, start1, end1, …]` of the first match at or after `from` (-1 for a group that
/// did not take part; the pattern has the `d` flag), or `None`.
fn regex_find(re: &JsValue, text: &JsString, from: u32) -> Option<Vec<i32>> {
    Reflect::set(re, &"lastIndex".into(), &from.into()).ok()?;
    let exec: Function = Reflect::get(re, &"exec".into()).ok()?.dyn_into().ok()?;
    let found = exec.call1(re, text).ok()?;
    if found.is_null() {
        return None;
    }
    let indices: Array = Reflect::get(&found, &"indices".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let mut out = Vec::with_capacity(indices.length() as usize * 2);
    for pair in indices.iter() {
        match pair.dyn_into::<Array>() {
            Ok(pair) => {
                out.push(pair.get(0).as_f64()? as i32);
                out.push(pair.get(1).as_f64()? as i32);
            }
            Err(_) => out.extend([-1, -1]),
        }
    }
    Some(out)
}

/// The browser's `RegExp` as the simulator's engine.
pub struct BrowserRegex;

/// Makes [`BrowserRegex`] the engine of every RegExp the simulator creates (idempotent).
pub fn install() {
    static ENGINE: BrowserRegex = BrowserRegex;
    regexp::set_engine(&ENGINE);
}

impl RegexEngine for BrowserRegex {
    fn compile(&self, pattern: &str, flags: &str) -> Result<Box<dyn Matcher>, String> {
        // The core's flags minus the ones it handles itself, plus `d` and `g`, in canonical order.
        let own: String = "dgimsuv"
            .chars()
            .filter(|c| matches!(c, 'd' | 'g') || flags.contains(*c))
            .collect();
        match regex_compile(pattern, &own) {
            Ok(re) => Ok(Box::new(BrowserMatcher {
                re,
                last_text: RefCell::new(None),
            })),
            Err(e) => {
                let message = Reflect::get(&e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
                    .unwrap_or_else(|| "invalid pattern".to_string());
                // V8 says `Invalid regular expression: /PATTERN/FLAGS: what`; the core adds the
                // prefix with the program's own flags.
                let prefix = format!("Invalid regular expression: /{pattern}/{own}: ");
                Err(message
                    .strip_prefix(&prefix)
                    .map(str::to_string)
                    .unwrap_or(message))
            }
        }
    }
}

/// A compiled `RegExp`, and the JavaScript copy of the text it last searched (the core searches
/// the same text many times in a row: a global match, split, replace).
struct BrowserMatcher {
    re: JsValue,
    last_text: RefCell<Option<(Vec<u16>, JsString)>>,
}

impl Matcher for BrowserMatcher {
    fn find_from(&self, text: &[u16], from: usize) -> Option<Match> {
        let mut last = self.last_text.borrow_mut();
        if last
            .as_ref()
            .is_none_or(|(units, _)| units.as_slice() != text)
        {
            *last = Some((text.to_vec(), JsString::from_char_code(text)));
        }
        let (_, js_text) = last.as_ref()?;
        let flat = regex_find(&self.re, js_text, u32::try_from(from).ok()?)?;
        let range = |pair: &[i32]| (pair[0] >= 0).then(|| pair[0] as usize..pair[1] as usize);
        let mut pairs = flat.chunks_exact(2);
        let range_all = range(pairs.next()?)?;
        Some(Match {
            range: range_all,
            captures: pairs.map(range).collect(),
        })
    }
}
