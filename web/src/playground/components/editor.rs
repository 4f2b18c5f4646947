//! The code editor: a Yew wrapper around the CodeMirror bundle (`editor/editor.js`, built by
//! esbuild into `dist/editor/editor.js`). The bundle is imported lazily, after the first
//! render, so the page is usable (and the code readable) before the editor arrives.
//!
//! The bridge is deliberately small: create, setDoc/getDoc, onChange, highlight(from, to),
//! setDiagnostics.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::playground::protocol::Diagnostic;

#[wasm_bindgen(inline_js = "export function import_editor() {
  return import(new URL('editor/editor.js', document.baseURI).href);
}")]
extern "C" {
    fn import_editor() -> Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The bundle's module namespace.
    type EditorModule;
    #[wasm_bindgen(method)]
    fn create(
        this: &EditorModule,
        parent: &HtmlElement,
        doc: &str,
        on_change: &Function,
    ) -> EditorHandle;

    /// One editor instance.
    type EditorHandle;
    #[wasm_bindgen(method, js_name = setDoc)]
    fn set_doc(this: &EditorHandle, text: &str);
    #[wasm_bindgen(method)]
    fn highlight(this: &EditorHandle, from: u32, to: u32);
    #[wasm_bindgen(method, js_name = clearHighlight)]
    fn clear_highlight(this: &EditorHandle);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    fn set_diagnostics(this: &EditorHandle, list: &Array);
    #[wasm_bindgen(method)]
    fn destroy(this: &EditorHandle);
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub code: String,
    pub on_change: Callback<String>,
    /// The current step's span (UTF-8 byte offsets).
    #[prop_or_default]
    pub highlight: Option<(usize, usize)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The live editor plus what it was last told, so props are applied once.
#[derive(Default)]
struct Live {
    handle: Option<EditorHandle>,
    _on_change: Option<Closure<dyn FnMut(String)>>,
}

fn diagnostics_array(list: &[Diagnostic]) -> Array {
    list.iter()
        .map(|d| {
            let o = Object::new();
            let _ = Reflect::set(&o, &"from".into(), &(d.from as u32).into());
            let _ = Reflect::set(&o, &"to".into(), &(d.to as u32).into());
            let _ = Reflect::set(&o, &"message".into(), &d.message.as_str().into());
            let _ = Reflect::set(&o, &"severity".into(), &d.severity.as_str().into());
            JsValue::from(o)
        })
        .collect()
}

fn apply(handle: &EditorHandle, props: &EditorProps) {
    handle.set_doc(&props.code);
    match props.highlight {
        Some((from, to)) => handle.highlight(from as u32, to as u32),
        None => handle.clear_highlight(),
    }
    handle.set_diagnostics(&diagnostics_array(&props.diagnostics));
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let host = use_node_ref();
    let live = use_mut_ref(Live::default);
    let loaded = use_state(|| false);
    let failed = use_state(|| None::<String>);
    // The latest props, for the asynchronous load to start from.
    let latest = use_mut_ref(|| props.code.clone());
    *latest.borrow_mut() = props.code.clone();

    {
        let host = host.clone();
        let live = live.clone();
        let loaded = loaded.clone();
        let failed = failed.clone();
        let on_change = props.on_change.clone();
        let latest = latest.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(load(
                host,
                live.clone(),
                latest,
                on_change,
                loaded,
                failed,
            ));
            move || {
                if let Some(handle) = live.borrow_mut().handle.take() {
                    handle.destroy();
                }
            }
        });
    }
    {
        let live = live.clone();
        use_effect_with(
            (
                props.code.clone(),
                props.highlight,
                props.diagnostics.clone(),
                *loaded,
            ),
            move |(code, highlight, diagnostics, _)| {
                if let Some(handle) = &live.borrow().handle {
                    apply(
                        handle,
                        &EditorProps {
                            code: code.clone(),
                            on_change: Callback::noop(),
                            highlight: *highlight,
                            diagnostics: diagnostics.clone(),
                        },
                    );
                }
            },
        );
    }

    html! {
        <div class="pg-editor" data-testid="editor" data-ready={loaded.to_string()}>
            <div ref={host} class="pg-editor-host"></div>
            if !*loaded {
                <pre class="pg-editor-fallback" aria-label="JavaScript source (the editor is loading)">{ &props.code }</pre>
            }
            if let Some(error) = &*failed {
                <p class="error" role="alert">{ format!("The editor could not load: {error}") }</p>
            }
        </div>
    }
}

async fn load(
    host: NodeRef,
    live: Rc<RefCell<Live>>,
    latest: Rc<RefCell<String>>,
    on_change: Callback<String>,
    loaded: UseStateHandle<bool>,
    failed: UseStateHandle<Option<String>>,
) {
    let module = match JsFuture::from(import_editor()).await {
        Ok(m) => m.unchecked_into::<EditorModule>(),
        Err(e) => {
            failed.set(Some(format!("{e:?}")));
            return;
        }
    };
    let Some(parent) = host.cast::<HtmlElement>() else {
        return;
    };
    let closure = Closure::<dyn FnMut(String)>::new(move |text: String| on_change.emit(text));
    let code = latest.borrow().clone();
    let handle = module.create(&parent, &code, closure.as_ref().unchecked_ref());
    *live.borrow_mut() = Live {
        handle: Some(handle),
        _on_change: Some(closure),
    };
    loaded.set(true);
}
