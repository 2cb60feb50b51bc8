//! The answers of `costcalc breakeven` and `costcalc solve`: the volume multiples at which two
//! plans' year-1 costs cross, or at which a plan starts or stops saving a target. Unrounded, in
//! the scenario's report currency; the JSON report is their serde form.

use rust_decimal::Decimal;
use serde::Serialize;

/// The range of volume multiples searched.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Range {
    pub from: Decimal,
    pub to: Decimal,
}

/// A volume at which the cheaper of two plans changes.
#[derive(Debug, Clone, Serialize)]
pub struct Crossing {
    /// The multiple of the scenario's volume: where the costs meet, or the first factor past a
    /// step (within one part in 10^12).
    pub factor: Decimal,
    /// Tokens a month at that volume (year 1, averaged over its months).
    pub tokens_per_month: Decimal,
    /// `true` where a cost jumps across the other (replicas change) rather than meeting it.
    pub at_a_step: bool,
    /// Which plan is cheaper just above the crossing.
    pub cheaper_above: String,
}

/// Both plans' year-1 costs at one volume multiple.
#[derive(Debug, Clone, Serialize)]
pub struct CostsAt {
    pub factor: Decimal,
    pub plan_cost: Decimal,
    pub versus_cost: Decimal,
}

/// What holds across the whole range searched by `breakeven`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BreakevenVerdict {
    /// The cheaper plan changes at each of `crossings`.
    Crossings,
    /// One plan costs less (or, at isolated points, the same) everywhere in the range.
    CheaperThroughout { plan: String },
    /// The two plans cost the same at every volume examined.
    EqualThroughout,
}

#[derive(Debug, Clone, Serialize)]
pub struct Breakeven {
    pub scenario: String,
    pub plan: String,
    pub versus: String,
    pub range: Range,
    /// Year-1 costs of both plans at the scenario's own volume (factor 1), which may lie
    /// outside the range.
    pub plan_cost_at_1: Decimal,
    pub versus_cost_at_1: Decimal,
    /// Year-1 costs at each end of the range.
    pub at_from: CostsAt,
    pub at_to: CostsAt,
    pub currency: String,
    pub verdict: BreakevenVerdict,
    pub crossings: Vec<Crossing>,
}

/// A volume multiple and the traffic it means.
#[derive(Debug, Clone, Serialize)]
pub struct Volume {
    pub factor: Decimal,
    /// Tokens and requests a month in year 1, on average.
    pub tokens_per_month: Decimal,
    pub requests_per_month: Decimal,
}

/// Where in the range the plan saves the target.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// Short of the target at the start of the range; `at` is the smallest volume that meets it.
    MetFrom { at: Volume },
    /// The target is met at the start of the range, and savings fall short of it above `at`.
    MetUpTo { at: Volume },
    /// The target is met everywhere in the range.
    MetThroughout,
    /// The target is met nowhere in the range.
    NeverMet,
}

/// A volume at which the savings start or stop meeting the target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetChange {
    /// On the side that meets the target, within one part in 10^12 of the change.
    pub factor: Decimal,
    /// Whether the target is met just above `factor`.
    pub met_above: bool,
    /// `true` where replicas change, rather than savings passing through the target.
    pub at_a_step: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Solution {
    pub scenario: String,
    pub plan: String,
    pub target_savings: Decimal,
    pub currency: String,
    /// Year-1 savings at the scenario's own volume, which may lie outside the range.
    pub savings_at_1: Decimal,
    /// Year-1 savings at each end of the range.
    pub savings_at_from: Decimal,
    pub savings_at_to: Decimal,
    pub range: Range,
    pub outcome: Outcome,
    /// Every volume in the range where the target starts or stops being met, in order; the
    /// outcome names the first that matters.
    pub changes: Vec<TargetChange>,
}
