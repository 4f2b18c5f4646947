//! The playground: write or pick a snippet, run it through the simulator in a Web Worker, and
//! see what it printed and why.
//!
//! - [`protocol`]: settings, run results and diagnostics exchanged with the worker (pure);
//! - [`state`]: the single reducer state and its actions (pure);
//! - [`url`]: `#code=` links and base64url (pure);
//! - [`timeline`]: the trace's shape (stepping, scrubber) and one step's view (pure);
//! - [`highlight`]: JavaScript colouring for the read-only code view (pure);
//! - [`gallery`] and [`concepts`]: the examples (checked against real `node`) and the concept
//!   pages;
//! - [`worker`]: the exports the simulator worker calls; [`client`]: the page's handle on it;
//!   [`regex`]: the simulator's regular expressions on the browser's own `RegExp`;
//! - [`hooks`], [`components`], [`view`]: the Yew side.
//!
//! **Architecture Invariant:** the simulator never runs on the page's main thread; the page
//! renders what the worker reports.

pub mod client;
pub mod components;
pub mod concepts;
pub mod gallery;
pub mod highlight;
pub mod hooks;
pub mod protocol;
pub mod regex;
pub mod state;
pub mod timeline;
pub mod url;
pub mod view;
pub mod worker;
