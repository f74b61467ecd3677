//! wa-analytics: one command line for the WhatsApp campaign-analytics APIs of Engage, Engati,
//! Insider, Wolkvox and Engagive.

pub mod config;
pub mod http;
pub mod output;
pub mod provider;
pub mod sandbox;
pub mod secret;
pub mod time;
