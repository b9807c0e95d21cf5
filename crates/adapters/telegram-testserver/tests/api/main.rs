//! Drives the test server over real HTTP with reqwest, the way the adapter's tests will.

mod envelopes;
mod harness;
mod members;
mod messages;
mod photos;
mod polling;
mod webhook;
