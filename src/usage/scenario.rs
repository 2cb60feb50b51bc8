//! A scenario file written from priced usage, for a person to edit and `costcalc run`.
//!
//! One workload per group, offer and service tier (standard, batch, flex, priority): traffic
//! sent through the batch API usually has another request mix than the rest, and one average
//! over both would misprice it, so batch traffic is its own workload with `batch_share = 1`.
//! The volume and exact average sizes are the last complete month's; the growth is fitted from
//! the complete months present. With growth set to zero, `run` prices each month exactly as
//! `usage` priced that month: the same average request at the same offer, times the same count,
//! as long as the offer's price does not change from the chosen month's first day to the end of
//! the scenario's first month. Where a dated change falls in that window the scenario keeps the
//! price in force in its own months (it is a forecast) and its comments name the change, since
//! `run` then prices the observed traffic at the new list.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use rust_decimal::Decimal;

use super::price::{GroupUsage, ServiceUsage, UsageReport};
use crate::calendar::{Date, YearMonth};
use crate::component::Component;
use crate::error::Error;
use crate::pricing::{Catalog, ServiceTier};

/// The month a scenario is built from: the last one the export covers to its end, else the
/// last one present (then partial, and said so).
fn chosen_month(report: &UsageReport) -> Option<(YearMonth, bool)> {
    let last_day = report.last_day?;
    let months: BTreeSet<YearMonth> = report
        .groups
        .iter()
        .flat_map(|g| g.months.iter().map(|m| m.month))
        .collect();
    let last = *months.last()?;
    if covers_end(last_day) {
        return Some((last, true));
    }
    match months.range(..last).next_back() {
        Some(earlier) => Some((*earlier, true)),
        None => Some((last, false)),
    }
}

/// Whether `day` is the last of its month.
fn covers_end(day: Date) -> bool {
    Date::from_days_since_epoch(day.days_since_epoch() + 1)
        .is_none_or(|next| next.year_month() != day.year_month())
}

/// Writes the scenario.
///
/// # Errors
/// [`Error::Argument`] when the export counts no requests (a workload needs a volume), or has
/// no traffic.
#[expect(
    clippy::too_many_lines,
    reason = "the file is written top to bottom, comments beside what they explain"
)]
pub fn write(
    report: &UsageReport,
    alternative: Option<&str>,
    catalog: &Catalog,
) -> Result<String, Error> {
    let Some((month, complete)) = chosen_month(report) else {
        return Err(Error::Argument(
            "the usage holds no traffic to build a scenario from".to_owned(),
        ));
    };
    if report.groups.iter().any(|g| g.requests.is_none()) {
        return Err(Error::Argument(format!(
            "a scenario needs request counts, and this {} export has none\nhint: export per-request data (Claude Code logs, LiteLLM, costcalc CSV) or a format that counts requests",
            report.format
        )));
    }
    let first_full = report.first_day.map(|d| {
        if d == d.year_month().first_day() {
            d.year_month()
        } else {
            d.year_month().next()
        }
    });

    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Written by `costcalc usage` from {} usage ({} to {}), priced at list prices.",
        report.format,
        report.first_day.map_or_else(String::new, |d| d.to_string()),
        report.last_day.map_or_else(String::new, |d| d.to_string()),
    );
    let _ = writeln!(
        out,
        "#\n# Each workload is one {} at one offer and service tier; batch (flex, priority) traffic is\n\
         # its own workload because its request mix differs from the rest. Volumes and sizes are\n\
         # {month}'s{}:\n\
         # requests that month, and the exact average request (every token bucket over the\n\
         # requests). Cache shares are the month's cache reads and writes over its text prompt.",
        report.group_by,
        if complete {
            ", the last month the export covers to its end"
        } else {
            ", the only month present; the export does not cover all of it"
        },
    );
    let changes = changes_between(report, catalog, month);
    let _ = writeln!(
        out,
        "#\n# growth_per_month is the mean of the month-over-month changes in requests over the\n\
         # complete months present{}; a month without traffic counts as zero, and a change\n\
         # from zero is left out; rounded to 4 decimals. With one complete month it is 0. Set\n\
         # it to 0 and `costcalc run` reproduces {month}'s list-price cost{}.",
        first_full.map_or_else(String::new, |f| format!(" ({f} to {month})")),
        if changes.is_empty() {
            ""
        } else {
            ",\n# except where a price changes from the start of that month to the end of the next"
        },
    );
    if !changes.is_empty() {
        let _ = writeln!(
            out,
            "#\n# Prices change in that time, so `run` prices {} at the list in force then, not at\n\
             # {month}'s:",
            month.next()
        );
        for (offer, date) in &changes {
            let _ = writeln!(out, "#   {} from {date}", escape(offer));
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "[scenario]");
    let _ = writeln!(out, "name = \"Observed {} usage\"", escape(report.format));
    let _ = writeln!(out, "start = \"{}\"", month.next());
    let _ = writeln!(out, "months = 12");
    if report.currency != "USD" {
        let _ = writeln!(out, "currency = \"{}\"", escape(&report.currency));
    }

    let several_offers = |group: &GroupUsage| {
        report
            .groups
            .iter()
            .filter(|g| g.group == group.group)
            .count()
            > 1
    };
    let mut ids = BTreeSet::new();
    let mut routes = Vec::new();
    let mut idle = Vec::new();
    for group in &report.groups {
        let Some(observed) = group.months.iter().find(|m| m.month == month) else {
            idle.push(group.group.clone());
            continue;
        };
        let growth = growth(group, first_full.unwrap_or(month), month);
        let base = if several_offers(group) {
            format!("{}-{}", group.group, group.offer)
        } else {
            group.group.clone()
        };
        for (service, usage) in &observed.services {
            let Some(requests) = usage.requests.filter(|r| !r.is_zero()) else {
                continue;
            };
            let mut id = slug(&match service {
                None => base.clone(),
                Some(tier) => format!("{base}-{}", tier.key()),
            });
            while !ids.insert(id.clone()) {
                id.push('_');
            }
            workload(&mut out, &id, group, *service, usage, requests, growth);
            routes.push((id, group.offer.clone()));
        }
    }
    if !idle.is_empty() {
        let _ = writeln!(
            out,
            "\n# No traffic in {month}, so no workload: {}",
            idle.join(", ")
        );
    }

    let _ = writeln!(
        out,
        "\n# The offers the traffic used.\n[[plan]]\nid = \"observed\"\nbaseline = true"
    );
    for (id, offer) in &routes {
        let _ = writeln!(
            out,
            "\n[[plan.route]]\nworkload = \"{}\"\noffer = \"{}\"",
            escape(id),
            escape(offer)
        );
    }
    let _ = writeln!(
        out,
        "\n# An alternative to compare: uncomment, and route each workload to an offer\n\
         # (`costcalc usage FILE --compare` ranks them on this traffic).\n\
         # [[plan]]\n# id = \"alternative\""
    );
    let target = alternative.unwrap_or("MODEL@PROVIDER");
    for (id, _) in &routes {
        let _ = writeln!(
            out,
            "#\n# [[plan.route]]\n# workload = \"{}\"\n# offer = \"{}\"",
            escape(id),
            escape(target)
        );
    }
    Ok(out)
}

/// The offers the traffic used whose price changes from `month`'s second day to the last day
/// of the month after it, with the dates, in order: `run` prices that next month at the list in
/// force then, which is not the one `usage` priced all of `month` at.
fn changes_between(
    report: &UsageReport,
    catalog: &Catalog,
    month: YearMonth,
) -> Vec<(String, Date)> {
    let first = month.first_day();
    let end = month.next().next().first_day();
    let offers: BTreeSet<&str> = report.groups.iter().map(|g| g.offer.as_str()).collect();
    let mut found = Vec::new();
    for offer in offers.into_iter().filter_map(|id| catalog.offers.get(id)) {
        for change in offer.changes() {
            if change.from() > first && change.from() < end {
                found.push((offer.id().to_owned(), change.from()));
            }
        }
    }
    found
}

fn workload(
    out: &mut String,
    id: &str,
    group: &GroupUsage,
    service: Option<ServiceTier>,
    usage: &ServiceUsage,
    requests: Decimal,
    growth: Decimal,
) {
    let q = &usage.quantities;
    let per = |value: Decimal| value.checked_div(requests).unwrap_or(Decimal::ZERO);
    let writes = [
        Component::CacheWrite5m,
        Component::CacheWrite1h,
        Component::CacheWrite12h,
    ];
    let text = [Component::Input, Component::CachedInput]
        .into_iter()
        .chain(writes)
        .map(|c| q[c])
        .sum::<Decimal>();
    let audio = q[Component::AudioInput] + q[Component::CachedAudioInput];
    let _ = writeln!(out, "\n[[workload]]\nid = \"{}\"", escape(id));
    let _ = writeln!(
        out,
        "name = \"{} at {}\"  # export names: {}",
        escape(&group.group),
        escape(&group.offer),
        escape(&group.names.join(", "))
    );
    let _ = writeln!(out, "requests_per_month = {}", number(requests));
    let _ = writeln!(out, "input_tokens = {}", number(per(text)));
    let _ = writeln!(out, "output_tokens = {}", number(per(q[Component::Output])));
    for (key, component) in [
        ("reasoning_tokens", Component::Reasoning),
        ("image_input_tokens", Component::ImageInput),
        ("audio_output_tokens", Component::AudioOutput),
        ("web_searches", Component::WebSearch),
    ] {
        if !q[component].is_zero() {
            let _ = writeln!(out, "{key} = {}", number(per(q[component])));
        }
    }
    if !audio.is_zero() {
        let _ = writeln!(out, "audio_input_tokens = {}", number(per(audio)));
        let share = q[Component::CachedAudioInput]
            .checked_div(audio)
            .unwrap_or_default();
        if !share.is_zero() {
            let _ = writeln!(out, "audio_cache_hit_share = {}", number(share));
        }
    }
    if !text.is_zero() {
        let share = |c: Component| q[c].checked_div(text).unwrap_or_default();
        let written: Vec<(Component, Decimal)> = writes
            .into_iter()
            .map(|c| (c, share(c)))
            .filter(|(_, s)| !s.is_zero())
            .collect();
        let written_sum: Decimal = written.iter().map(|(_, s)| *s).sum();
        let mut hit = share(Component::CachedInput);
        // Quotients are rounded in the 28th digit; the shares of a prompt with nothing
        // uncached must still add up to 1, not a hair above.
        if hit + written_sum > Decimal::ONE {
            hit = Decimal::ONE - written_sum;
        }
        if !hit.is_zero() {
            let _ = writeln!(out, "cache_hit_share = {}", number(hit));
        }
        for (component, share) in written {
            let _ = writeln!(out, "{}_share = {}", component.key(), number(share));
        }
    }
    if let Some(tier) = service {
        let _ = writeln!(out, "{}_share = 1", tier.key());
    }
    let _ = writeln!(out, "growth_per_month = {}", number(growth));
}

/// The mean month-over-month change in a group's requests from `from` to `to`, to 4 decimals.
fn growth(group: &GroupUsage, from: YearMonth, to: YearMonth) -> Decimal {
    let mut counts = Vec::new();
    let mut month = from;
    while month <= to {
        let requests = group
            .months
            .iter()
            .find(|m| m.month == month)
            .and_then(|m| m.requests)
            .unwrap_or_default();
        counts.push(requests);
        month = month.next();
    }
    let changes: Vec<Decimal> = counts
        .windows(2)
        .filter(|pair| !pair[0].is_zero())
        .filter_map(|pair| pair[1].checked_div(pair[0]).map(|r| r - Decimal::ONE))
        .collect();
    if changes.is_empty() {
        return Decimal::ZERO;
    }
    let sum: Decimal = changes.iter().sum();
    let mean = crate::money::round_for_display(sum / Decimal::from(changes.len()), 4);
    // A group whose traffic stopped would give -1, which no scenario accepts.
    if mean <= Decimal::NEGATIVE_ONE {
        Decimal::ZERO
    } else {
        mean
    }
}

/// A decimal as TOML: bare when TOML keeps it exact (up to 15 significant digits), else quoted.
fn number(value: Decimal) -> String {
    let value = value.normalize();
    let text = value.to_string();
    let digits = text.chars().filter(char::is_ascii_digit).count();
    if digits <= 15 {
        text
    } else {
        format!("\"{text}\"")
    }
}

/// A workload id from a group name: letters, digits, `-`, `_` and `.` kept, the rest `-`.
fn slug(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if slug.is_empty() {
        "workload".to_owned()
    } else {
        slug
    }
}

/// Text inside a TOML basic string.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}
