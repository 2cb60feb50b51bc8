//! The answer of `costcalc cheapest`: for each workload, the cheapest offer (and self-hosted
//! deployment) that can take its requests and meets the policy, the cheaper ones ruled out with
//! their reasons, and the plan they make against the scenario's plans. Unrounded, in the
//! scenario's report currency. A suggestion, not a replacement for the user's plans.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::YearMonth;

#[derive(Debug, Clone, Serialize)]
pub struct Cheapest {
    pub scenario: String,
    pub path: String,
    pub currency: String,
    pub start: YearMonth,
    pub end: YearMonth,
    /// Whether the choices had to meet the scenario's `[policy]`.
    pub policy: bool,
    /// Whether every workload lists its `candidates`: without them, any model may be chosen,
    /// and quality is not considered.
    pub quality_considered: bool,
    /// In the scenario's order.
    pub workloads: Vec<WorkloadChoice>,
    /// The choices as one plan, estimated by the engine; `None` when a workload has no choice.
    pub plan_cost: Option<Decimal>,
    /// Whether that plan meets the policy, its cap on a provider's share included; `None`
    /// without a policy or without the plan.
    pub plan_compliant: Option<bool>,
    /// The scenario's plans against it.
    pub plans: Vec<PlanComparison>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkloadChoice {
    pub workload: String,
    /// Whether only the workload's `candidates` were considered.
    pub candidates_only: bool,
    /// The cheapest offer or deployment that takes the requests and meets the policy; `None`
    /// when none does.
    pub choice: Option<Choice>,
    /// The cheapest self-hosted deployment that does, priced for this workload alone.
    pub self_hosted: Option<Choice>,
    /// Offers and deployments cheaper than the choice (or, without a choice, every one that
    /// could be priced), ruled out, cheapest first; candidates that cannot be priced at all
    /// come last.
    pub ruled_out: Vec<RuledOut>,
}

/// One way to serve a workload, with its cost over the horizon.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub offer: String,
    pub provider: String,
    pub cost: Decimal,
}

/// An offer or deployment that cannot take the workload, and why.
#[derive(Debug, Clone, Serialize)]
pub struct RuledOut {
    pub offer: String,
    /// Its cost over the horizon, where it can be priced.
    pub cost: Option<Decimal>,
    pub reasons: Vec<Reason>,
}

/// Why an offer was ruled out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// A rule of the `[policy]`, named by its key.
    Policy { rule: String, detail: String },
    /// The workload's largest prompt does not fit.
    TooLong { prompt_tokens: Decimal, limit: u64 },
    /// Something the requests carry has no price there.
    Unpriced { component: String },
    /// Priced in a currency the scenario has no exchange rate for.
    NoRate { currency: String },
    /// Retired on or before the horizon's start.
    Retired { date: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanComparison {
    pub plan: String,
    pub name: String,
    pub total_cost: Decimal,
    /// `total_cost` minus the cheapest plan's; `None` without one.
    pub above_cheapest: Option<Decimal>,
    /// Whether the plan meets the policy; `None` without one.
    pub compliant: Option<bool>,
}
