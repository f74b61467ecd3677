//! One integration-test binary: the real `wa-analytics` executable (or the command line run
//! in-process, `in_process.rs`), an isolated HOME, and wiremock servers that check every request
//! exactly.

mod accounts;
mod api;
mod cli;
mod conformance;
mod docs;
mod engage;
mod engagive;
mod engati;
mod hostile_bodies;
mod hostile_signals;
mod in_process;
mod insider;
mod jq;
mod numbers;
mod output_target;
mod report;
mod sandbox;
mod sandbox_engagive;
mod sandbox_engati;
mod sandbox_insider;
mod sandbox_wolkvox;
mod secret_in_data;
mod secrets;
mod state;
mod state_temp;
mod suggest;
mod summaries;
mod support;
mod tls;
mod wolkvox;
