//! Self-hosting is priced by capacity, not by token (README, "Self-hosting"): you pay for the GPUs
//! whether they are busy or not.
//!
//! The model, month by month:
//! - Demand is the month's prefill tokens (prompt tokens less prompt-cache hits, which are
//!   assumed to skip prefill) and decode tokens (output and reasoning), spread evenly over the
//!   month's seconds, times each workload's peak-to-average ratio for the peak rate.
//! - A replica's time goes to prefill at its prefill rate and to decode at its decode rate, one
//!   after the other: a second of demand keeps `prefill / prefill rate + decode / decode rate`
//!   replica-seconds busy. Both rates come from published benchmark runs, and the model
//!   reproduces each run's own throughput. Replicas = that load over the target utilisation,
//!   rounded up, and at least one.
//! - Always on: that many replicas for every hour of the month. Scale down: that many for the
//!   peak hours of each day, and for the other hours as many as the off-peak rate needs (at least
//!   one), where the off-peak rate is what remains of the day's tokens after the peak hours.
//! - Cost = GPU-hours x the price per GPU-hour, plus the operations cost per deployment.

use rust_decimal::Decimal;

use super::request::{Overflow, add, div, mul};
use crate::scenario::Capacity;

/// Seconds in an hour and hours in a day, for rates.
const SECONDS_PER_HOUR: Decimal = Decimal::from_parts(3600, 0, 0, false, 0);
const HOURS_PER_DAY: Decimal = Decimal::from_parts(24, 0, 0, false, 0);

/// Tokens a deployment must serve in one month.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Demand {
    /// Every prompt token, cache hits included: what the cost is shared by.
    pub input_tokens: Decimal,
    /// Output and reasoning tokens, each decoded.
    pub output_tokens: Decimal,
    /// Prompt tokens less prompt-cache hits: those that are prefilled.
    pub prefill_tokens: Decimal,
    /// Prefill tokens weighted by each workload's peak-to-average ratio.
    pub peak_prefill_tokens: Decimal,
    pub peak_output_tokens: Decimal,
}

/// One replica's throughput and what it costs.
#[derive(Debug, Clone, Copy)]
pub struct Replica {
    /// Uncached prompt tokens prefilled a second when the replica does nothing else.
    pub prefill_tokens_per_second: Decimal,
    /// Tokens generated a second when the replica does nothing else.
    pub decode_tokens_per_second: Decimal,
    pub gpus: u32,
    /// In the report currency.
    pub per_gpu_hour: Decimal,
}

/// How the deployments of a scenario are run.
#[derive(Debug, Clone, Copy)]
pub struct Operation {
    /// Above 0, at most 1.
    pub utilization: Decimal,
    pub capacity: Capacity,
    pub peak_hours_per_day: u32,
}

/// The capacity one month needs and what it costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizing {
    /// Replicas at peak (all day when always on).
    pub replicas_peak: u64,
    /// Replicas outside peak hours; equal to `replicas_peak` when always on.
    pub replicas_off_peak: u64,
    pub gpu_hours: Decimal,
    /// The replica-seconds prefill and decode keep busy over those rented.
    pub utilization: Decimal,
    /// GPU-hours times the price; operations costs are added by the caller.
    pub gpu_cost: Decimal,
}

/// Sizes one month of `days` days.
///
/// # Errors
/// [`Overflow`] if the demand or the cost leaves the decimal range.
pub fn size(
    demand: &Demand,
    replica: &Replica,
    operation: &Operation,
    days: u32,
) -> Result<Sizing, Overflow> {
    let seconds = mul(Decimal::from(days), mul(HOURS_PER_DAY, SECONDS_PER_HOUR)?)?;
    let replicas_for = |prefill_rate: Decimal, decode_rate: Decimal| -> Result<u64, Overflow> {
        let needed = div(
            busy(replica, prefill_rate, decode_rate)?,
            operation.utilization,
        )?;
        let whole = needed.ceil();
        u64::try_from(whole).map(|r| r.max(1)).map_err(|_| Overflow)
    };
    let replicas_peak = replicas_for(
        div(demand.peak_prefill_tokens, seconds)?,
        div(demand.peak_output_tokens, seconds)?,
    )?;
    let (replicas_off_peak, replica_hours) = match operation.capacity {
        Capacity::AlwaysOn => (
            replicas_peak,
            mul(
                Decimal::from(replicas_peak),
                mul(Decimal::from(days), HOURS_PER_DAY)?,
            )?,
        ),
        Capacity::ScaleDown => {
            let peak_hours = Decimal::from(operation.peak_hours_per_day);
            let off_hours = HOURS_PER_DAY - peak_hours;
            // The day's tokens less those served in the peak hours at the peak rate, spread over
            // the other hours. Validation keeps peak x peak hours within the day, so this is >= 0.
            let off_rate = |total: Decimal, peak: Decimal| -> Result<Decimal, Overflow> {
                let in_peak_hours = div(mul(peak, peak_hours)?, HOURS_PER_DAY)?;
                let rest = (total - in_peak_hours).max(Decimal::ZERO);
                div(mul(div(rest, seconds)?, HOURS_PER_DAY)?, off_hours)
            };
            let off = replicas_for(
                off_rate(demand.prefill_tokens, demand.peak_prefill_tokens)?,
                off_rate(demand.output_tokens, demand.peak_output_tokens)?,
            )?;
            let daily = add(
                mul(Decimal::from(replicas_peak), peak_hours)?,
                mul(Decimal::from(off), off_hours)?,
            )?;
            (off, mul(daily, Decimal::from(days))?)
        }
    };
    let gpu_hours = mul(replica_hours, Decimal::from(replica.gpus))?;
    let replica_seconds = mul(replica_hours, SECONDS_PER_HOUR)?;
    let utilization = div(
        busy(replica, demand.prefill_tokens, demand.output_tokens)?,
        replica_seconds,
    )?;
    Ok(Sizing {
        replicas_peak,
        replicas_off_peak,
        gpu_hours,
        utilization,
        gpu_cost: mul(gpu_hours, replica.per_gpu_hour)?,
    })
}

/// The replica-seconds that prefilling `prefill` tokens and decoding `decode` tokens take; of
/// rates, the replicas they keep busy.
///
/// # Errors
/// [`Overflow`] if the time leaves the decimal range.
pub fn busy(replica: &Replica, prefill: Decimal, decode: Decimal) -> Result<Decimal, Overflow> {
    add(
        div(prefill, replica.prefill_tokens_per_second)?,
        div(decode, replica.decode_tokens_per_second)?,
    )
}

#[cfg(test)]
mod tests;
