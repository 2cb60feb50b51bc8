//! What losing a provider does to each plan, as `costcalc stress` reports it. Unrounded, in the
//! scenario's report currency.
//!
//! Stranded traffic is shown apart: its requests go unserved from the loss, so its cost stops,
//! and that is not a saving. `extra_cost` is the stressed plan's cost plus the stranded cost,
//! minus the plan's cost as written: what the moved traffic costs more (or less) elsewhere.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::YearMonth;
use crate::estimate::exposure::Exposure;
use crate::money::Share;

/// The answer of `costcalc stress`.
#[derive(Debug, Clone, Serialize)]
pub struct Stress {
    pub scenario: String,
    pub path: String,
    pub currency: String,
    pub start: YearMonth,
    pub end: YearMonth,
    /// The month the provider is lost: the first month its routes move.
    pub from: YearMonth,
    /// The first twelve months from the loss, or fewer where the horizon ends sooner.
    pub first_year: Window,
    /// Whether moves to another host had to satisfy the scenario's `[policy]`.
    pub policy: bool,
    /// One per loss: the providers and countries of `--lose` and `--lose-country` together, or
    /// each provider the plans use in turn with `--lose-each`.
    pub losses: Vec<Loss>,
    /// With `--lose-each`: for each plan, the providers it uses ranked by the damage their loss
    /// does, worst first.
    pub ranking: Option<Vec<PlanRanking>>,
    /// Things a reader should know, such as a lost provider that no plan uses.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Window {
    pub start: YearMonth,
    pub end: YearMonth,
    pub months: u32,
}

/// Some providers (or every provider in some countries) lost together.
#[derive(Debug, Clone, Serialize)]
pub struct Loss {
    pub providers: Vec<String>,
    pub countries: Vec<String>,
    /// In the scenario's order.
    pub plans: Vec<PlanStress>,
}

/// One plan under one loss.
#[derive(Debug, Clone, Serialize)]
pub struct PlanStress {
    pub plan: String,
    pub name: String,
    pub baseline: bool,
    /// The plan as written, over the horizon.
    pub total_before: Decimal,
    /// The plan after the moves, over the horizon; stranded traffic costs nothing here.
    pub total_after: Decimal,
    /// `total_after + stranded_cost - total_before`: what the moved traffic costs more.
    pub extra_cost: Decimal,
    /// The same over the first twelve months from the loss.
    pub extra_cost_first_year: Decimal,
    /// What the stranded requests would have cost from the loss: not incurred, not saved.
    pub stranded_cost: Decimal,
    /// The stranded requests over all the plan's requests from the loss; `None` without any.
    pub stranded_traffic_share: Option<Decimal>,
    /// Routes that moved, in the plan's order.
    pub moves: Vec<Move>,
    /// Routes with nowhere to go, in the plan's order.
    pub stranded: Vec<Stranded>,
    /// Where the plan's money goes after the moves.
    pub exposure_after: Exposure,
    /// Whether the plan after the moves meets the `[policy]`; `None` without one.
    pub compliant_after: Option<bool>,
}

/// How a lost route found a new host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveKind {
    /// The first of its `fallback` offers that is not lost.
    Fallback,
    /// The same model at the cheapest other host that is not lost (and meets the policy).
    OtherHost,
}

/// A route moved from a lost provider.
#[derive(Debug, Clone, Serialize)]
pub struct Move {
    pub workload: String,
    pub offer: String,
    pub provider: String,
    pub share: Share,
    pub to: String,
    pub to_provider: String,
    pub by: MoveKind,
    /// The route's cost from the loss to the end of the horizon where it was.
    pub cost_before: Decimal,
    /// The same requests where they went.
    pub cost_after: Decimal,
    /// `cost_after - cost_before`.
    pub extra_cost: Decimal,
}

/// A route whose requests go unserved from the loss.
#[derive(Debug, Clone, Serialize)]
pub struct Stranded {
    pub workload: String,
    pub offer: String,
    pub provider: String,
    /// The route's share of its workload's requests.
    pub share: Share,
    /// Requests unserved from the loss to the end of the horizon.
    pub requests: Decimal,
    /// Those requests over all the plan's requests from the loss.
    pub traffic_share: Option<Decimal>,
    /// What they would have cost.
    pub cost: Decimal,
    /// Why no other host can take them.
    pub reason: String,
}

/// One plan's providers, worst loss first.
#[derive(Debug, Clone, Serialize)]
pub struct PlanRanking {
    pub plan: String,
    /// The provider whose loss does the most damage, if any loss does some.
    pub single_point_of_failure: Option<String>,
    pub providers: Vec<Damage>,
}

/// What losing one provider does to one plan. Ranked by stranded traffic, then by extra cost
/// over the horizon: traffic nobody serves is worse than traffic that costs more.
#[derive(Debug, Clone, Serialize)]
pub struct Damage {
    pub provider: String,
    pub stranded_traffic_share: Option<Decimal>,
    pub stranded_cost: Decimal,
    pub extra_cost: Decimal,
    pub extra_cost_first_year: Decimal,
}
