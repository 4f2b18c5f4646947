// Looplab's code editor: CodeMirror 6 with JavaScript highlighting, line numbers, a mark on the
// current step's source span, and inline diagnostics (syntax errors, unsupported constructs).
// esbuild bundles this file into dist/editor/editor.js (scripts/lib.sh, `build_editor`), with the
// JavaScript language (its parser and tables) split into a chunk of its own that is imported
// after the view is up: evaluating the whole bundle at once was a task of 30-40 ms here.
//
// The page shows the code read-only until the learner's first edit and imports this bundle
// then (web/src/playground/components/editor.rs), so a learner who only steps never loads it.
// The Yew side sees only this small surface:
//   create(parent, doc, onChange, { anchor, head, focus, file }) -> handle   (anchor/head: UTF-16)
//   handle.setDoc(text) / handle.getDoc() / handle.highlight(from, to) / handle.clearHighlight()
//   handle.showFile(name, text): the project's file `name` (each file keeps its own undo
//     history and selection while another is shown)
//   handle.setDiagnostics([{from, to, message, severity}]) / handle.insert(text)
//   handle.focus() / handle.destroy()
import { EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
         drawSelection, Decoration } from '@codemirror/view';
import { EditorState, EditorSelection, StateField, StateEffect, Compartment } from '@codemirror/state';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { syntaxHighlighting, bracketMatching, indentOnInput } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';
import { setDiagnostics, lintGutter } from '@codemirror/lint';

const setStep = StateEffect.define();
const stepMark = Decoration.mark({ class: 'cm-step', attributes: { 'data-testid': 'editor-step' } });

// The current step's span, mapped through edits so it stays on the same text.
const stepField = StateField.define({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const e of tr.effects) {
      if (!e.is(setStep)) continue;
      if (e.value == null) { marks = Decoration.none; continue; }
      const len = tr.state.doc.length;
      const from = Math.max(0, Math.min(e.value.from, len));
      const to = Math.max(from, Math.min(e.value.to, len));
      marks = from === to ? Decoration.none : Decoration.set([stepMark.range(from, to)]);
    }
    return marks;
  },
  provide: (f) => EditorView.decorations.from(f),
});

export function create(parent, doc, onChange, options = {}) {
  let silent = false;
  const clamp = (n) => Math.max(0, Math.min(Number(n) || 0, doc.length));
  const anchor = clamp(options.anchor);
  // The language (the JavaScript parser and its colours) joins in tasks of its own, after the
  // view is up: its chunk is imported (evaluated in one task), then the code is parsed (another).
  // Building the view, evaluating the parser and parsing the code in one go is a long task
  // (> 50 ms) on a slow machine, and the page promises none.
  const language = new Compartment();
  let languageExtensions = [];
  // One editor state per file of the project (the one shown lives in the view): switching files
  // keeps each file's undo history, selection and scroll-free position.
  const states = new Map();
  let file = options.file || 'main.js';
  const stateFor = (text, selection) => EditorState.create({
    doc: text,
    selection,
    extensions: [
      lineNumbers(), highlightActiveLineGutter(), highlightActiveLine(), drawSelection(),
      history(), indentOnInput(), bracketMatching(), lintGutter(),
      language.of(languageExtensions), stepField,
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      EditorView.contentAttributes.of({ 'aria-label': 'JavaScript source', 'data-testid': 'editor-input' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged && !silent) onChange(u.state.doc.toString());
      }),
    ],
  });
  const view = new EditorView({
    parent,
    state: stateFor(doc, EditorSelection.single(anchor, options.head == null ? anchor : clamp(options.head))),
  });
  if (options.focus) {
    view.focus();
    view.dispatch({ effects: EditorView.scrollIntoView(view.state.selection.main.head, { y: 'nearest' }) });
  }
  import('@codemirror/lang-javascript').then(({ javascript }) => setTimeout(() => {
    if (!view.dom.isConnected) return;
    languageExtensions = [syntaxHighlighting(classHighlighter), javascript()];
    view.dispatch({ effects: language.reconfigure(languageExtensions) });
  }, 0), () => { /* the chunk did not load (offline?): the editor works, without colours */ });
  return {
    getDoc: () => view.state.doc.toString(),
    setDoc(text) {
      if (text === view.state.doc.toString()) return;
      silent = true;
      try {
        view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
      } finally {
        silent = false;
      }
    },
    showFile(name, text) {
      if (name === file) { this.setDoc(text); return; }
      states.set(file, view.state);
      const saved = states.get(name);
      states.delete(name);
      silent = true;
      try {
        if (saved && saved.doc.toString() === text) view.setState(saved);
        // A file never shown, or changed from outside (a link): a fresh history. A renamed
        // file (no state under its new name, the same text) keeps the one it had.
        else if (saved || text !== view.state.doc.toString()) view.setState(stateFor(text));
        if (languageExtensions.length) view.dispatch({ effects: language.reconfigure(languageExtensions) });
      } finally {
        silent = false;
      }
      file = name;
    },
    // Byte offsets from the simulator are UTF-8; CodeMirror counts UTF-16 units.
    highlight(fromByte, toByte) {
      const text = view.state.doc.toString();
      const from = utf16Offset(text, fromByte);
      const to = utf16Offset(text, toByte);
      view.dispatch({ effects: [setStep.of({ from, to }), EditorView.scrollIntoView(from, { y: 'nearest' })] });
    },
    clearHighlight() { view.dispatch({ effects: setStep.of(null) }); },
    setDiagnostics(list) {
      const text = view.state.doc.toString();
      const len = view.state.doc.length;
      const diags = list.map((d) => {
        let from = Math.min(utf16Offset(text, d.from), len);
        let to = Math.min(Math.max(utf16Offset(text, d.to), from), len);
        // An error at the very end (an unclosed call) still gets a visible squiggle.
        if (to === from) { if (to < len) to += 1; else if (from > 0) from -= 1; }
        return { from, to, message: d.message, severity: d.severity || 'error' };
      });
      view.dispatch(setDiagnostics(view.state, diags));
    },
    // Typed text at the selection, as if typed here (the page re-runs it like any edit).
    insert(text) { view.dispatch(view.state.replaceSelection(text)); },
    focus() { view.focus(); },
    destroy() { view.destroy(); },
  };
}

function utf16Offset(text, byteOffset) {
  let bytes = 0;
  let i = 0;
  while (i < text.length && bytes < byteOffset) {
    const c = text.codePointAt(i);
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    i += c >= 0x10000 ? 2 : 1;
  }
  return i;
}
