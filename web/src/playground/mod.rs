//! The playground: write or pick a snippet, run it through the simulator in a Web Worker, and
//! see what it printed and why.
//!
//! - [`protocol`]: settings, run results and diagnostics exchanged with the worker (pure);
//! - [`state`]: the single reducer state and its actions (pure);
//! - [`project`]: a project of several files, its JSON and its limits (pure);
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

#[cfg(feature = "ui")]
pub mod client;
#[cfg(feature = "ui")]
pub mod components;
#[cfg(feature = "ui")]
pub mod concepts;
#[cfg(feature = "ui")]
pub mod gallery;
#[cfg(feature = "ui")]
pub mod highlight;
#[cfg(feature = "ui")]
pub mod hooks;
pub mod project;
pub mod protocol;
#[cfg(feature = "workers")]
pub mod regex;
#[cfg(feature = "ui")]
pub mod state;
pub mod timeline;
#[cfg(feature = "ui")]
pub mod url;
#[cfg(feature = "ui")]
pub mod view;
#[cfg(feature = "workers")]
pub mod worker;
