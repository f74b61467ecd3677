//! Tests of the sandbox over real HTTP on 127.0.0.1, one file per vendor.

mod common;
mod engage;
mod engagive;
mod engati;
mod insider;
mod server;
mod wolkvox;

pub(super) use common::*;
