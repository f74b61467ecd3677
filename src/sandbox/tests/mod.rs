//! Tests of the sandbox's shared plumbing over real HTTP on 127.0.0.1, and the helpers every
//! vendor's tests (`<vendor>/tests.rs`) use.

mod common;
mod server;

pub(super) use common::*;
