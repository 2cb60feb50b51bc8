//! costcalc: what would our AI bill be on open-weight models instead of closed ones?
//!
//! Data flows one way, each arrow a change of type:
//!
//! ```text
//! pricing/*.toml ─┐                                      ┌─> report::table ─┐
//!                 ├─> input ─> raw ─> Catalog ─┐         │                  ├─> writer -> stdout
//! scenario.toml ──┘                  Scenario ─┴> engine ─> Estimate ───────┴─> report::json
//! ```
//!
//! - [`input`] reads files and parses TOML into the serde mirrors in `pricing::raw` and
//!   `scenario::raw`; [`pricing`] and [`scenario`] validate them into types the engine trusts.
//! - [`component`] is the one list of things a bill charges for; prices, quantities, costs, CSV
//!   columns and JSON fields are tables indexed by it.
//! - [`engine`] is pure: catalog and scenario in, an unrounded [`estimate::Estimate`] out.
//!   [`exposure`] and [`policy`] read an estimate for where the money goes and what is allowed.
//! - Questions asked of the engine: [`query`] (`models`, `quote`), [`solve`] (`breakeven`,
//!   `solve`), [`sensitivity`], [`stress`] (losing a provider), [`cheapest`], [`diff`] (two
//!   estimates, the change explained). Their answers live beside `Estimate` in [`estimate`].
//! - [`usage`] reads providers' usage exports into per-component records; [`catalog_import`]
//!   and [`catalog_export`] move prices between the catalog and other projects' data.
//! - [`report`] renders results into a writer; [`money`] holds the one rounding rule for
//!   display; [`terminal`] escapes text from files before it reaches a terminal.
//! - [`manual`] generates shell completions and manual pages from [`cli`].
//! - [`run()`] ties them together for the command line; `main.rs` only maps errors to exit codes.

pub mod calendar;
pub mod catalog_export;
pub mod catalog_import;
pub mod cheapest;
pub mod cli;
pub mod component;
pub mod diff;
pub mod engine;
pub mod error;
pub mod estimate;
pub mod exposure;
#[cfg(test)]
pub(crate) mod fixtures;
pub mod input;
pub mod manual;
pub mod money;
pub mod output;
pub mod policy;
pub mod pricing;
pub mod progress;
pub mod query;
pub mod report;
mod run;
pub mod scenario;
pub mod sensitivity;
pub mod solve;
pub mod stress;
pub mod terminal;
pub mod usage;

pub use run::run;
