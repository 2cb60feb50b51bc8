//! The answers of `costcalc breakeven` and `costcalc solve`: the volume multiples at which two
//! plans' costs over a period (year 1 unless asked otherwise) cross, or at which a plan starts
//! or stops saving a target. Unrounded, in the scenario's report currency; the JSON report is
//! their serde form.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::calendar::YearMonth;

/// Whether a period is one year of the horizon or all of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Year,
    Horizon,
}

/// The months whose costs an answer compares: every cost, saving and traffic figure of the
/// answer is over these months alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub kind: PeriodKind,
    /// 1-based: year 2 is months 13 to 24 of the horizon. Absent for the horizon.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u32>,
    /// The first and last calendar months of the period.
    pub start: YearMonth,
    pub end: YearMonth,
    /// Fewer than 12 for a year where the horizon ends before the year does.
    pub months: u32,
}

impl Period {
    /// A year the horizon ends in before its twelfth month.
    #[must_use]
    pub fn is_partial_year(&self) -> bool {
        self.kind == PeriodKind::Year && self.months < 12
    }
}
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
    /// Tokens a month at that volume (averaged over the period's months).
    pub tokens_per_month: Decimal,
    /// `true` where a cost jumps across the other (replicas change) rather than meeting it.
    pub at_a_step: bool,
    /// Which plan is cheaper just above the crossing.
    pub cheaper_above: String,
}

/// Both plans' costs over the period at one volume multiple.
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
    /// The months compared; every cost below is over them.
    pub period: Period,
    pub range: Range,
    /// Both plans' costs at the scenario's own volume (factor 1), which may lie outside the
    /// range.
    pub plan_cost_at_1: Decimal,
    pub versus_cost_at_1: Decimal,
    /// Costs at each end of the range.
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
    /// Tokens and requests a month over the period, on average.
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
    /// The months whose savings are solved for; every saving below is over them.
    pub period: Period,
    /// Savings at the scenario's own volume, which may lie outside the range.
    pub savings_at_1: Decimal,
    /// Savings at each end of the range.
    pub savings_at_from: Decimal,
    pub savings_at_to: Decimal,
    pub range: Range,
    pub outcome: Outcome,
    /// Every volume in the range where the target starts or stops being met, in order; the
    /// outcome names the first that matters.
    pub changes: Vec<TargetChange>,
}
