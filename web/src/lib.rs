//! The Looplab page.
