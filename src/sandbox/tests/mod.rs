//! Tests of the sandbox's shared plumbing (the server over real HTTP on 127.0.0.1, the vendor
//! registry), and the helpers every vendor's tests (`<vendor>/tests.rs`) use.

mod common;
mod registry;
mod server;

pub(super) use common::*;
