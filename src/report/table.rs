//! Tables for a terminal: a summary per plan, the cost of each workload on each plan, the routes
//! with their prices, then the notes. Amounts are rounded once, here, to cents.

pub(super) mod monthly;
pub(super) mod sensitivity;
pub(super) mod yearly;

use std::fmt::Write as _;

use rust_decimal::Decimal;

pub(super) use super::layout::{Table, Text, Tone};
use super::weights_text;
use crate::calendar::{Date, months_text};
use crate::component::{Component, Unit};
use crate::estimate::exposure::Slice;
use crate::estimate::policy::{PolicyCost, YearDifference, violation_text};
use crate::estimate::query::{Listing, OfferRow, QuoteRequest, Quotes};
use crate::estimate::volume::{
    Breakeven, BreakevenVerdict, Outcome, Period, PeriodKind, Solution, Volume,
};
use crate::estimate::{Estimate, Note, OfferInfo, Payback, PlanEstimate, TrendRule};
use crate::money::{
    format_average, format_count, format_money, format_money_fine, format_multiple, format_percent,
    format_price, format_significant, round_for_display,
};
use crate::pricing::Overlay;
use crate::pricing::ServiceTier;
use crate::terminal::escape;
use crate::terminal::screen::Screen;

/// Writes the run report of `estimates` into `out` as it is laid out, table line by table line.
///
/// # Errors
/// The first error `out` returns.
pub fn write(
    out: &mut dyn std::io::Write,
    estimates: &[Estimate],
    screen: Screen,
) -> std::io::Result<()> {
    let mut out = Text::into_writer(screen, out);
    for (i, estimate) in estimates.iter().enumerate() {
        if i > 0 {
            let _ = writeln!(out);
        }
        scenario(&mut out, estimate);
    }
    out.end()
}

fn scenario(out: &mut Text<'_>, estimate: &Estimate) {
    let info = &estimate.scenario;
    let _ = writeln!(out, "{}", escape(&info.name));
    let _ = writeln!(
        out,
        "{}: {} to {} ({}), amounts in {}",
        info.path,
        info.start,
        info.end,
        months_text(info.months),
        info.currency
    );
    let _ = writeln!(out, "\nSummary");
    out.table(&summary(estimate));
    yearly::section(out, estimate);
    let _ = writeln!(out, "\nCost per workload over the horizon");
    out.table(&workloads(estimate));
    let _ = writeln!(out, "\nRoutes (average request; cost over the horizon)");
    out.table(&routes(estimate));
    if estimate.plans.iter().any(|p| !p.deployments.is_empty()) {
        let _ = writeln!(
            out,
            "\nSelf-hosted deployments (priced by capacity: GPUs are paid for busy or not)"
        );
        out.table(&deployments(estimate));
        let mut seen = std::collections::BTreeSet::new();
        for deployment in estimate.plans.iter().flat_map(|p| &p.deployments) {
            if !seen.insert(&deployment.id) {
                continue;
            }
            let _ = writeln!(
                out,
                "- `{}`: {} per GPU-hour ({}, as of {}, {}); one replica prefills {} uncached prompt tokens a second or decodes {} with {}, from {} ({}, as of {}); its time is prefill plus decode, prompt-cache hits are assumed to skip prefill, and it is planned at {} busy",
                deployment.id,
                format_price(deployment.per_gpu_hour, &estimate.scenario.currency),
                deployment.gpu_offer,
                deployment.gpu_price_as_of,
                deployment.gpu_price_source,
                format_count(deployment.prefill_tokens_per_second),
                format_count(deployment.decode_tokens_per_second),
                deployment.engine,
                deployment.measured_with,
                deployment.source,
                deployment.as_of,
                format_percent(deployment.target_utilization * Decimal::ONE_HUNDRED),
            );
        }
    }
    exposure_sections(out, estimate);
    let _ = writeln!(out, "\nPrices used (per 1M tokens)");
    out.table(&prices(estimate));
    if !estimate.notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for note in &estimate.notes {
            let _ = writeln!(out, "- {}", note_text(note, &info.currency));
        }
    }
}

fn new_table(header: &[&str], right_aligned_from: usize) -> Table {
    Table::new(header, right_aligned_from)
}

fn summary(estimate: &Estimate) -> Table {
    let currency = &estimate.scenario.currency;
    let first_year = estimate
        .plans
        .first()
        .and_then(|p| p.years.first())
        .map_or(12, |y| y.months);
    let year_header = if first_year == 12 {
        "Year 1".to_owned()
    } else {
        format!("Year 1 ({})", months_text(first_year))
    };
    let mut header = SUMMARY_HEADER;
    header[1] = &year_header;
    let mut table = new_table(&header, 1);
    for column in [2, 4, 5] {
        table.tone(column, Tone::Savings);
    }
    // The horizon's cost and savings stay; year 1 repeats them for a one-year horizon.
    table.optional(&[6, 1, 2, 7]);
    for plan in &estimate.plans {
        table.add_row(summary_cells(plan, currency).to_vec());
    }
    table
}

/// The header and cells of one plan's summary row, shared by the table and Markdown renderers.
pub(super) const SUMMARY_HEADER: [&str; 8] = [
    "Plan",
    "Year 1",
    "Year 1 savings",
    "Horizon total",
    "Savings vs baseline",
    "Savings %",
    "Per 1M tokens",
    "Payback",
];

pub(super) fn summary_cells(plan: &PlanEstimate, currency: &str) -> [String; 8] {
    let year_one = plan.years.first();
    [
        plan_label(plan),
        year_one.map_or_else(String::new, |y| format_money(y.cost, currency)),
        year_one
            .and_then(|y| y.savings)
            .map_or_else(|| "-".to_owned(), |s| format_money(s, currency)),
        format_money(plan.total_cost, currency),
        plan.savings
            .map_or_else(|| "baseline".to_owned(), |s| format_money(s, currency)),
        plan.savings_pct
            .map_or_else(|| "-".to_owned(), format_percent),
        plan.usage_cost_per_mtok
            .map_or_else(|| "-".to_owned(), |c| format_money(c, currency)),
        plan.payback.map_or_else(|| "-".to_owned(), payback_text),
    ]
}

fn plan_label(plan: &PlanEstimate) -> String {
    if plan.name == plan.id {
        plan.id.clone()
    } else {
        format!("{} ({})", plan.name, plan.id)
    }
}

pub(super) fn payback_text(payback: Payback) -> String {
    match payback {
        Payback::NotNeeded => "no upfront cost".to_owned(),
        Payback::Months { months } => {
            // Only a bare 1 is singular: "1.0 months" keeps its decimal and reads right.
            match round_for_display(months, 1).to_string().as_str() {
                "1" => "1 month".to_owned(),
                shown => format!("{shown} months"),
            }
        }
        Payback::BeyondHorizon => "after the horizon".to_owned(),
        Payback::Never => "never".to_owned(),
    }
}

fn workloads(estimate: &Estimate) -> Table {
    let currency = &estimate.scenario.currency;
    let mut header = vec!["Workload", "Requests"];
    header.extend(estimate.plans.iter().map(|p| p.id.as_str()));
    let mut table = new_table(&header, 1);
    table.optional(&[1]);
    for (index, workload) in estimate.scenario.workloads.iter().enumerate() {
        let mut row = vec![workload.id.clone(), format_count(workload.requests)];
        row.extend(
            estimate
                .plans
                .iter()
                .map(|plan| format_money(plan.workloads[index].cost, currency)),
        );
        table.add_row(row);
    }
    let fixed: Vec<Decimal> = estimate
        .plans
        .iter()
        .map(|p| p.total_cost - p.usage_cost)
        .collect();
    if fixed.iter().any(|f| !f.is_zero()) {
        let mut row = vec!["fixed and one-time costs".to_owned(), String::new()];
        row.extend(fixed.iter().map(|f| format_money(*f, currency)));
        table.add_row(row);
    }
    let mut row = vec!["total".to_owned(), String::new()];
    row.extend(
        estimate
            .plans
            .iter()
            .map(|p| format_money(p.total_cost, currency)),
    );
    table.add_row(row);
    table
}

/// The components shown in every route table: the prompt's cached part and the output.
const ROUTE_COLUMNS: [Component; 3] = [
    Component::CachedInput,
    Component::Output,
    Component::Reasoning,
];

/// Components beyond [`ROUTE_COLUMNS`] and the prompt that some route of the estimate carries:
/// cache writes, audio, images, searches. Shown only where present, so a text-only report keeps
/// its width.
fn carried_components(estimate: &Estimate) -> Vec<Component> {
    Component::ALL
        .into_iter()
        .filter(|c| {
            !ROUTE_COLUMNS.contains(c) && !matches!(c, Component::Input | Component::Request)
        })
        .filter(|c| {
            estimate
                .plans
                .iter()
                .flat_map(|p| &p.workloads)
                .flat_map(|w| &w.routes)
                .any(|r| !r.per_request.quantities[*c].is_zero())
        })
        .collect()
}

fn routes(estimate: &Estimate) -> Table {
    let currency = &estimate.scenario.currency;
    let extra = carried_components(estimate);
    let mut header = vec![
        "Plan",
        "Workload",
        "Offer",
        "Share",
        "Input tok",
        "Cached",
        "Output tok",
        "Reasoning",
    ];
    header.extend(extra.iter().map(|c| c.label()));
    header.extend(["Per 1K requests", "Cost"]);
    let mut table = new_table(&header, 3);
    // The cost of each route stays; the request's make-up, which `--width` or the JSON and
    // `csv-lines` reports show, goes first.
    let per_thousand = header.len() - 2;
    let mut optional: Vec<usize> = (8..per_thousand).collect();
    optional.extend([7, 6, 5, 4, per_thousand]);
    table.optional(&optional);
    for plan in &estimate.plans {
        for workload in &plan.workloads {
            for route in &workload.routes {
                let request = &route.per_request;
                let mut row = vec![
                    plan.id.clone(),
                    workload.id.clone(),
                    route.offer.clone(),
                    format_percent(route.share.get() * Decimal::ONE_HUNDRED),
                    format_count(request.prompt_tokens()),
                ];
                // Tokens are whole enough to round; searches a request may average 0.6.
                row.extend(ROUTE_COLUMNS.iter().chain(&extra).map(|c| {
                    let quantity = request.quantities[*c];
                    match c.unit() {
                        Unit::PerMtok => format_count(quantity),
                        Unit::PerCall | Unit::PerRequest => format_average(quantity),
                    }
                }));
                row.extend([
                    route
                        .average_cost_per_request()
                        .and_then(|c| c.checked_mul(Decimal::ONE_THOUSAND))
                        .map_or_else(|| "-".to_owned(), |c| format_money(c, currency)),
                    format_money(route.cost, currency),
                ]);
                table.add_row(row);
            }
        }
    }
    table
}

fn deployments(estimate: &Estimate) -> Table {
    let currency = &estimate.scenario.currency;
    let mut table = new_table(
        &[
            "Plan",
            "Deployment",
            "GPUs per replica",
            "Replicas (max)",
            "Utilisation (avg)",
            "Cost",
            "Per 1M tokens",
        ],
        3,
    );
    table.optional(&[4, 6, 3]);
    for plan in &estimate.plans {
        for deployment in &plan.deployments {
            table.add_row(vec![
                plan.id.clone(),
                deployment.id.clone(),
                format!("{} x {}", deployment.gpus_per_replica, deployment.gpu_name),
                deployment.max_replicas.to_string(),
                deployment.average_utilization().map_or_else(
                    || "-".to_owned(),
                    |u| format_percent(u * Decimal::ONE_HUNDRED),
                ),
                format_money(deployment.cost, currency),
                deployment
                    .cost_per_mtok
                    .map_or_else(|| "-".to_owned(), |c| format_money(c, currency)),
            ]);
        }
    }
    table
}

fn prices(estimate: &Estimate) -> Table {
    let extra = carried_components(estimate);
    let mut header = vec!["Offer", "Weights", "Input", "Cached", "Output"];
    // The table is per 1M tokens; a price per call says so in its heading.
    header.extend(extra.iter().map(|c| match c.unit() {
        Unit::PerMtok => c.label(),
        Unit::PerCall => "Per search",
        Unit::PerRequest => "Per request",
    }));
    header.extend(["As of", "Source"]);
    let source_column = header.len() - 1;
    let mut table = new_table(&header, 2);
    table.align_left(source_column);
    let mut optional: Vec<usize> = (5..source_column - 1).collect();
    optional.extend([source_column - 1, 1]);
    table.optional(&optional);
    for offer in &estimate.offers {
        let price = |c: &Component| {
            offer.prices[*c].map_or_else(|| "-".to_owned(), |p| format_price(p, &offer.currency))
        };
        let mut row = vec![offer.id.clone(), weights_text(offer.weights).to_owned()];
        row.extend(
            [Component::Input, Component::CachedInput, Component::Output]
                .iter()
                .chain(&extra)
                .map(price),
        );
        row.extend([offer.as_of.to_string(), provenance(offer)]);
        table.add_row(row);
    }
    table
}

/// Where an offer's prices come from, marked when a `--pricing` file overrode them.
fn provenance(offer: &OfferInfo) -> String {
    match &offer.overridden_by {
        Some(file) => format!("{}; negotiated: overridden by {file}", offer.source),
        None => offer.source.clone(),
    }
}

fn names(workloads: &[String]) -> String {
    workloads
        .iter()
        .map(|w| format!("`{}`", escape(w)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What an overlay that keeps a cache price from below means, for run reports and `check`.
pub fn inherited_cache_text(
    offer: &str,
    overlay: Overlay,
    above_input_tokens: Option<u64>,
    key: &str,
) -> String {
    let tier = above_input_tokens.map_or_else(String::new, |above| {
        format!(
            "the tier above {} input tokens",
            format_count(Decimal::from(above))
        )
    });
    let (what, change, from) = match overlay {
        Overlay::Service(service) => (format!("the {} prices", service.key()), "change", "base"),
        Overlay::Tier => (tier, "changes", "next lower level's"),
        Overlay::TierService(service) => (
            format!("the {} prices of {tier}", service.key()),
            "change",
            "tier's",
        ),
    };
    format!(
        "`{offer}`: {what} {change} `input` but not `{key}`, so `{key}` stays at the {from} \
         price; state it there too if the provider charges otherwise"
    )
}

/// A component billed at the price of the one it falls back to.
fn no_price_text(
    offer: &str,
    component: Component,
    billed_at: Component,
    workloads: &[String],
) -> String {
    let workloads = names(workloads);
    match component {
        Component::CachedInput => format!(
            "`{offer}` lists no cached-input price: cache hits of {workloads} are billed at the full input price"
        ),
        Component::CacheWrite5m | Component::CacheWrite1h | Component::CacheWrite12h => {
            let lifetime = match component {
                Component::CacheWrite5m => "5-minute",
                Component::CacheWrite1h => "1-hour",
                _ => "12-hour",
            };
            format!(
                "`{offer}` lists no {lifetime} cache-write price: cache writes of {workloads} are billed at the input price"
            )
        }
        _ => format!(
            "`{offer}` lists no `{}` price: the {} of {workloads} is billed at the `{}` price",
            component.key(),
            component.label().to_lowercase(),
            billed_at.key()
        ),
    }
}

pub(super) fn note_text(note: &Note, currency: &str) -> String {
    match note {
        Note::NoPrice {
            offer,
            component,
            billed_at,
            workloads,
        } => no_price_text(offer, *component, *billed_at, workloads),
        Note::NoServicePrice {
            offer,
            service,
            workloads,
        } => format!(
            "`{offer}` has no {} prices: {} requests of {} are billed at normal prices",
            service.key(),
            service.key(),
            names(workloads)
        ),
        Note::NoTierServicePrice {
            offer,
            service,
            above_input_tokens,
            workloads,
        } => format!(
            "`{offer}` lists no {} prices above {} input tokens: those {} requests of {} pay the tier's normal prices",
            service.key(),
            format_count(Decimal::from(*above_input_tokens)),
            service.key(),
            names(workloads)
        ),
        Note::StalePrice {
            offer,
            as_of,
            age_days,
        } => format!(
            "`{offer}`: prices checked {as_of}, {age_days} days before the horizon starts; check the source again"
        ),
        Note::InheritedCachePrice {
            offer,
            overlay,
            above_input_tokens,
            key,
        } => inherited_cache_text(offer, *overlay, *above_input_tokens, key),
        Note::Deprecated { offer, date } => {
            format!("`{offer}` is deprecated by its provider from {date}; plan for its successor")
        }
        Note::PriceChange {
            offer,
            date,
            component,
            old,
            new,
            source,
        } => {
            let old = old.map_or_else(|| "none".to_owned(), |p| p.to_string());
            format!(
                "`{offer}`: `{}` changes from {old} to {new} on {date} ({source})",
                component.key()
            )
        }
        Note::PriceTrend {
            rule,
            change,
            from,
            offers,
            source,
        } => trend_text(*rule, *change, *from, offers, source.as_deref()),
        Note::ExchangeRate {
            currency: from,
            quote,
            as_of,
            source,
            ..
        } => format!("{from} converted into {currency} at {quote} (as of {as_of}, {source})"),
    }
}

/// A scenario's price trend, as the report's assumptions state it.
fn trend_text(
    rule: TrendRule,
    change: Decimal,
    from: Date,
    offers: &[String],
    source: Option<&str>,
) -> String {
    let percent = (change * Decimal::ONE_HUNDRED).normalize();
    let sign = if percent > Decimal::ZERO { "+" } else { "" };
    let when = match rule {
        TrendRule::Yearly => {
            format!("{sign}{percent}% a year, stepped at each anniversary of {from}")
        }
        TrendRule::Once => format!("{sign}{percent}% once, from {from}"),
    };
    let whom = if offers.is_empty() {
        "no offer the plans use".to_owned()
    } else {
        names(offers)
    };
    let source = source.map_or_else(String::new, |s| format!(" ({s})"));
    format!("assumed price trend: {when}, for {whom}{source}")
}

/// What the `Also` column of `models` says of an offer: tiers, batch, stale, deprecated, the
/// dated change its prices are from and the next one.
pub(super) fn also_text(row: &OfferRow) -> String {
    let mut also = Vec::new();
    if row.has_tiers {
        also.push("tiers".to_owned());
    }
    if row.has_batch {
        also.push("batch".to_owned());
    }
    if row.stale {
        also.push("stale".to_owned());
    }
    if let Some(date) = row.deprecated {
        also.push(format!("deprecated {date}"));
    }
    if let Some(date) = row.changed_on {
        also.push(format!("changed on {date}"));
    }
    if let Some(date) = row.next_change {
        also.push(format!("changes on {date}"));
    }
    also.join(", ")
}

/// The line above the `models` table: how many offers, and in which currency.
pub(super) fn listing_heading(listing: &Listing) -> String {
    let mut line = format!(
        "{} offers; prices per 1M tokens at base rates",
        listing.offers.len()
    );
    if listing.dated {
        let _ = write!(line, " in force on {}", listing.date);
    }
    if let Some(currency) = &listing.currency {
        let _ = write!(line, ", in {currency} (converted with `--rate`)");
    }
    if listing.sorted_within_currency {
        line.push_str(
            "; sorted within each currency, USD first, not across currencies (`--currency CODE --rate RATE` converts them to one)",
        );
    }
    line
}

/// `costcalc models`: one row per offer.
pub fn models(listing: &Listing, screen: Screen) -> String {
    let rows = &listing.offers;
    let blended = rows.iter().any(|r| r.blended_per_mtok.is_some());
    let mut header = vec![
        "Offer", "Model", "Weights", "Origin", "Input", "Output", "Cached",
    ];
    if blended {
        header.push("Blended");
    }
    header.extend(["Max input", "As of", "Also"]);
    let mut table = new_table(&header, 4);
    let left_from = header.len() - 1;
    table.align_left(left_from);
    table.optional(&[1, 3, left_from - 2, left_from - 1]);
    for row in rows {
        let currency = &row.currency;
        let mut cells = vec![
            row.offer.clone(),
            row.model_name.clone(),
            weights_text(row.weights).to_owned(),
            row.origin.clone(),
            format_price(row.input_per_mtok, currency),
            format_price(row.output_per_mtok, currency),
            row.cached_input_per_mtok
                .map_or_else(|| "-".to_owned(), |p| format_price(p, currency)),
        ];
        if blended {
            cells.push(
                row.blended_per_mtok
                    .map_or_else(|| "-".to_owned(), |p| format_price(p, currency)),
            );
        }
        cells.extend([
            row.input_limit
                .map_or_else(|| "?".to_owned(), |l| format_count(Decimal::from(l))),
            row.as_of.to_string(),
            also_text(row),
        ]);
        table.add_row(cells);
    }
    let mut out = Text::new(screen);
    let _ = writeln!(out, "{}", listing_heading(listing));
    out.table(&table);
    out.finish()
}

/// The request `quote` prices, in words: its text prompt with the cached and written parts, its
/// output, and whatever else it carries.
fn request_text(request: &QuoteRequest) -> String {
    let q = &request.quantities;
    let writes: Vec<(Component, &str)> = [
        (Component::CacheWrite5m, "5-minute"),
        (Component::CacheWrite1h, "1-hour"),
        (Component::CacheWrite12h, "12-hour"),
    ]
    .into_iter()
    .filter(|(c, _)| !q[*c].is_zero())
    .collect();
    let written: Decimal = writes.iter().map(|(c, _)| q[*c]).sum();
    let text_prompt = q[Component::Input] + q[Component::CachedInput] + written;
    let lifetimes = match writes.as_slice() {
        [] => String::new(),
        [(_, lifetime)] => format!(", {lifetime} TTL"),
        several => format!(
            ": {}",
            several
                .iter()
                .map(|(c, lifetime)| format!("{} {lifetime}", format_count(q[*c])))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut extras = Vec::new();
    let audio = q[Component::AudioInput] + q[Component::CachedAudioInput];
    if !audio.is_zero() {
        extras.push(format!(
            "{} audio input ({} cached)",
            format_count(audio),
            format_count(q[Component::CachedAudioInput])
        ));
    }
    for (component, one, many) in [
        (
            Component::ImageInput,
            "image input token",
            "image input tokens",
        ),
        (
            Component::AudioOutput,
            "audio output token",
            "audio output tokens",
        ),
        (Component::WebSearch, "web search", "web searches"),
    ] {
        if !q[component].is_zero() {
            let what = if q[component] == Decimal::ONE {
                one
            } else {
                many
            };
            extras.push(format!("{} {what}", format_count(q[component])));
        }
    }
    format!(
        "{} request{} of {} input tokens ({} cached, {} cache writes{lifetimes}), {} output and {} reasoning tokens{}{}",
        format_count(request.requests),
        if request.requests == Decimal::ONE {
            ""
        } else {
            "s"
        },
        format_count(text_prompt),
        format_count(q[Component::CachedInput]),
        format_count(written),
        format_count(q[Component::Output]),
        format_count(q[Component::Reasoning]),
        if extras.is_empty() {
            String::new()
        } else {
            format!(", plus {}", extras.join(", "))
        },
        match request.service_tier {
            None => String::new(),
            Some(ServiceTier::Batch) => ", through the batch API".to_owned(),
            Some(tier) => format!(", at {} prices", tier.key()),
        },
    )
}

/// `costcalc quote`: the request, then one row per offer, cheapest first.
pub fn quotes(quotes: &Quotes, screen: Screen) -> String {
    let mut out = Text::new(screen);
    let _ = writeln!(out, "{}", request_text(&quotes.request));
    let mut table = new_table(
        &[
            "Offer",
            "Weights",
            "Origin",
            "Per request",
            "Total",
            "x cheapest",
            "Notes",
        ],
        3,
    );
    table.align_left(6);
    table.optional(&[2, 1]);
    for quote in &quotes.quotes {
        let mut notes = quote.notes.clone();
        if quote.stale {
            notes.push(format!("price checked {}", quote.as_of));
        }
        table.add_row(vec![
            quote.offer.clone(),
            weights_text(quote.weights).to_owned(),
            quote.origin.clone(),
            format_money_fine(quote.per_request.total, &quote.currency),
            format_money_fine(quote.total, &quote.currency),
            quote
                .multiple_of_cheapest
                .map_or_else(|| "-".to_owned(), format_multiple),
            notes.join("; "),
        ]);
    }
    out.table(&table);
    for line in quote_footer(quotes) {
        let _ = writeln!(out, "{line}");
    }
    out.finish()
}

/// The lines after the `quote` table: how offers in several currencies are ranked, and the
/// offers left out.
pub(super) fn quote_footer(quotes: &Quotes) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(currency) = &quotes.currency {
        lines.push(format!(
            "Amounts in {currency}, converted with `--rate` where an offer is priced in another currency."
        ));
    } else if quotes.currencies.len() > 1 {
        lines.push(format!(
            "Offers are priced in {} currencies ({}): each is ranked against the cheapest offer in its own currency, not across currencies; `--currency CODE --rate RATE` converts them to one.",
            quotes.currencies.len(),
            quotes.currencies.join(", ")
        ));
    }
    if !quotes.too_long_for.is_empty() {
        lines.push(format!(
            "Not priced, the request is longer than they accept: {}",
            quotes.too_long_for.join(", ")
        ));
    }
    // One line per missing price, in component order: audio at text-only offers, searches at
    // offers without search.
    let mut unpriced: std::collections::BTreeMap<Component, Vec<&str>> =
        std::collections::BTreeMap::new();
    for left_out in &quotes.unpriced {
        unpriced
            .entry(left_out.component)
            .or_default()
            .push(&left_out.offer);
    }
    for (component, offers) in unpriced {
        lines.push(format!(
            "Not priced, no price for `{}`, which the request carries: {}",
            component.key(),
            offers.join(", ")
        ));
    }
    if !quotes.retired.is_empty() {
        let retired: Vec<String> = quotes
            .retired
            .iter()
            .map(|r| format!("{} (from {})", r.offer, r.deprecated))
            .collect();
        lines.push(format!(
            "Not priced, retired by their provider (`--include-retired` prices them): {}",
            retired.join(", ")
        ));
    }
    lines
}

/// A volume multiple or a count of tokens: three significant figures.
fn significant(value: Decimal) -> String {
    format_significant(value, 3)
}

/// The period of a `breakeven` or `solve` answer as an adjective with its months: `year-2
/// (2028-01 to 2028-12)`, a short last year said to be one, or the whole horizon.
fn period_phrase(period: &Period) -> String {
    let months = format!("{} to {}", period.start, period.end);
    match (period.kind, period.year) {
        (PeriodKind::Year, Some(year)) if period.is_partial_year() => format!(
            "year-{year} ({months}, a partial year of {}: the horizon ends there)",
            months_text(period.months)
        ),
        (PeriodKind::Year, Some(year)) => format!("year-{year} ({months})"),
        _ => format!("whole-horizon ({months}, {})", months_text(period.months)),
    }
}

/// The period as a noun for `in year 2` or `over the horizon`.
fn period_noun(period: &Period) -> String {
    match period.year {
        Some(year) => format!("in year {year}"),
        None => "over the horizon".to_owned(),
    }
}

/// `costcalc breakeven`.
pub fn breakeven(breakeven: &Breakeven, screen: Screen) -> String {
    let currency = &breakeven.currency;
    let (plan, versus) = (&breakeven.plan, &breakeven.versus);
    let mut out = Text::new(screen);
    let _ = writeln!(
        out,
        "{}: `{plan}` versus `{versus}`, {} cost as every workload's volume is scaled from {}x to {}x",
        breakeven.scenario,
        period_phrase(&breakeven.period),
        significant(breakeven.range.from),
        significant(breakeven.range.to)
    );
    let _ = writeln!(
        out,
        "At 1x (the scenario's volume): `{plan}` {}, `{versus}` {}",
        format_money(breakeven.plan_cost_at_1, currency),
        format_money(breakeven.versus_cost_at_1, currency)
    );
    for end in [&breakeven.at_from, &breakeven.at_to] {
        let _ = writeln!(
            out,
            "At {}x: `{plan}` {}, `{versus}` {}",
            significant(end.factor),
            format_money(end.plan_cost, currency),
            format_money(end.versus_cost, currency)
        );
    }
    match &breakeven.verdict {
        BreakevenVerdict::CheaperThroughout { plan: cheaper } => {
            let _ = writeln!(
                out,
                "No crossing in the range: `{cheaper}` is cheaper throughout."
            );
            return out.finish();
        }
        BreakevenVerdict::EqualThroughout => {
            let _ = writeln!(
                out,
                "No crossing in the range: the two plans cost the same throughout."
            );
            return out.finish();
        }
        BreakevenVerdict::Crossings => {}
    }
    let mut table = new_table(
        &[
            "Volume multiple",
            "Tokens per month",
            "Kind",
            "Cheaper above it",
        ],
        0,
    );
    table.align_left(2);
    table.align_left(3);
    for crossing in &breakeven.crossings {
        table.add_row(vec![
            format!("{}x", significant(crossing.factor)),
            significant(crossing.tokens_per_month),
            if crossing.at_a_step {
                "step (replicas change)"
            } else {
                "costs meet"
            }
            .to_owned(),
            format!("`{}`", crossing.cheaper_above),
        ]);
    }
    out.table(&table);
    out.finish()
}

/// `costcalc solve`.
pub fn solution(solution: &Solution, screen: Screen) -> String {
    let currency = &solution.currency;
    let target = format_money(solution.target_savings, currency);
    let (from, to) = (
        significant(solution.range.from),
        significant(solution.range.to),
    );
    let mut out = Text::new(screen);
    let _ = write!(
        out,
        "{}: {} savings of `{}` against the baseline\nAt 1x: {}\n",
        solution.scenario,
        period_phrase(&solution.period),
        solution.plan,
        format_money(solution.savings_at_1, currency)
    );
    let traffic = |at: &Volume| {
        format!(
            "{} tokens and {} requests a month on average {}",
            significant(at.tokens_per_month),
            significant(at.requests_per_month),
            period_noun(&solution.period)
        )
    };
    let _ = match &solution.outcome {
        Outcome::MetFrom { at } => writeln!(
            out,
            "Saves {target} at {}x the scenario's volume: {}.",
            significant(at.factor),
            traffic(at)
        ),
        Outcome::MetUpTo { at } => writeln!(
            out,
            "Meets the target up to {}x the scenario's volume ({}): savings of {} at {from}x fall to {} at {to}x.",
            significant(at.factor),
            traffic(at),
            format_money(solution.savings_at_from, currency),
            format_money(solution.savings_at_to, currency)
        ),
        Outcome::MetThroughout => writeln!(
            out,
            "Saves {target} or more across the whole range, from {from}x to {to}x the scenario's volume."
        ),
        Outcome::NeverMet => writeln!(
            out,
            "Never saves {target} between {from}x and {to}x the scenario's volume."
        ),
    };
    if solution.changes.len() > 1 {
        let changes: Vec<String> = solution
            .changes
            .iter()
            .map(|change| {
                format!(
                    "{} {}x{}",
                    if change.met_above {
                        "met from"
                    } else {
                        "short above"
                    },
                    significant(change.factor),
                    if change.at_a_step { " (a step)" } else { "" }
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "The target is {} as volume grows.",
            changes.join(", then ")
        );
    }
    out.finish()
}

/// The exposure, route hosts and policy sections of one scenario's table report.
fn exposure_sections(out: &mut Text<'_>, estimate: &Estimate) {
    let (header, rows) = exposure_rows(estimate);
    let mut table = new_table(&header, 4);
    table.optional(&[7, 6, 5, 3]);
    for row in rows {
        table.add_row(row);
    }
    let _ = writeln!(out, "\n{EXPOSURE_TITLE}");
    out.table(&table);
    let mut table = new_table(&HOSTS_HEADER, 4);
    // Above zero the other host is dearer.
    table.tone(7, Tone::Extra);
    table.optional(&[4, 6, 5]);
    for row in hosts_rows(estimate) {
        table.add_row(row);
    }
    let _ = writeln!(out, "\n{HOSTS_TITLE}");
    out.table(&table);
    for line in unpriced_lines(estimate) {
        let _ = writeln!(out, "- {line}");
    }
    if let Some(cost) = &estimate.policy_cost {
        let _ = writeln!(out, "\nPolicy");
        for line in policy_lines(estimate) {
            let _ = writeln!(out, "- {line}");
        }
        let _ = writeln!(out, "\n{}", policy_cost_title(cost));
        if let Some((header, rows)) = policy_cost_rows(cost, &estimate.scenario.currency) {
            let mut table = new_table(&header.iter().map(String::as_str).collect::<Vec<_>>(), 1);
            table.tone(3, Tone::Extra);
            for row in rows {
                table.add_row(row);
            }
            out.table(&table);
        }
    }
}

pub(super) const EXPOSURE_TITLE: &str = "Exposure (shares of token charges; fixed and one-time costs are billed by no provider and left out)";

pub(super) const HOSTS_TITLE: &str =
    "Other hosts of each route's model (the route's requests priced at the cheapest of them)";

/// A share as a percentage with one decimal, or `-` when nothing is spent.
fn share_text(share: Option<Decimal>) -> String {
    share.map_or_else(
        || "-".to_owned(),
        |s| format_percent(s * Decimal::ONE_HUNDRED),
    )
}

/// `US 75.0%, CN 25.0%`.
fn slices_text(slices: &[Slice]) -> String {
    if slices.is_empty() {
        return "-".to_owned();
    }
    slices
        .iter()
        .map(|s| format!("{} {}", s.id, share_text(s.share)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The exposure table's header and rows, one per plan; with a policy, a `Policy` column says
/// `ok` or how many violations the plan has.
pub(super) fn exposure_rows(estimate: &Estimate) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let mut header = vec![
        "Plan",
        "Largest provider",
        "Processed in",
        "Model origin",
        "Provider share",
        "HHI",
        "Portable",
        "Open weights",
    ];
    let with_policy = estimate.policy_cost.is_some();
    if with_policy {
        header.push("Policy");
    }
    let rows = estimate
        .plans
        .iter()
        .map(|plan| {
            let exposure = &plan.exposure;
            let open = exposure
                .by_weights
                .iter()
                .find(|s| s.id == "open")
                .and_then(|s| s.share)
                .or_else(|| exposure.largest_provider_share.map(|_| Decimal::ZERO));
            let mut row = vec![
                plan.id.clone(),
                exposure
                    .by_provider
                    .first()
                    .map_or_else(|| "-".to_owned(), |s| s.id.clone()),
                slices_text(&exposure.by_provider_country),
                slices_text(&exposure.by_origin),
                share_text(exposure.largest_provider_share),
                exposure.hhi.map_or_else(|| "-".to_owned(), format_count),
                share_text(exposure.portable_share),
                share_text(open),
            ];
            if with_policy {
                row.push(plan.policy.as_ref().map_or_else(String::new, |check| {
                    match check.violations.len() {
                        0 => "ok".to_owned(),
                        1 => "1 violation".to_owned(),
                        n => format!("{n} violations"),
                    }
                }));
            }
            row
        })
        .collect();
    (header, rows)
}

pub(super) const HOSTS_HEADER: [&str; 8] = [
    "Plan",
    "Workload",
    "Offer",
    "Cheapest other host",
    "Other hosts",
    "Cost",
    "Cost there",
    "Difference",
];

/// One row per route: its cost, how many other hosts serve its model, and the cheapest of them.
pub(super) fn hosts_rows(estimate: &Estimate) -> Vec<Vec<String>> {
    let currency = &estimate.scenario.currency;
    let mut rows = Vec::new();
    for plan in &estimate.plans {
        for route in &plan.exposure.routes {
            let cheapest = route.cheapest_other_host.as_ref();
            rows.push(vec![
                plan.id.clone(),
                route.workload.clone(),
                route.offer.clone(),
                cheapest.map_or_else(
                    || {
                        if route.other_hosts.is_empty() {
                            if route.weights == crate::pricing::Weights::Closed {
                                "none (closed weights)".to_owned()
                            } else {
                                "none".to_owned()
                            }
                        } else {
                            "not priced per request".to_owned()
                        }
                    },
                    |c| c.offer.clone(),
                ),
                route.other_hosts.len().to_string(),
                format_money(route.cost, currency),
                cheapest.map_or_else(|| "-".to_owned(), |c| format_money(c.cost, currency)),
                cheapest.map_or_else(
                    || "-".to_owned(),
                    |c| {
                        let text = format_money(c.difference, currency);
                        if c.difference > Decimal::ZERO {
                            format!("+{text}")
                        } else {
                            text
                        }
                    },
                ),
            ]);
        }
    }
    rows
}

/// Other hosts that could not be compared for want of an exchange rate, and what "not priced per
/// request" means, when it appears.
pub(super) fn unpriced_lines(estimate: &Estimate) -> Vec<String> {
    let mut lines = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for route in estimate.plans.iter().flat_map(|p| &p.exposure.routes) {
        for unpriced in &route.unpriced {
            if seen.insert((&route.workload, &unpriced.offer)) {
                lines.push(format!(
                    "`{}` also serves `{}` for `{}`, but is priced in {}, which the scenario has no exchange rate for: not compared",
                    unpriced.offer, route.model, route.workload, unpriced.currency
                ));
            }
        }
    }
    let capacity_only = estimate
        .plans
        .iter()
        .flat_map(|p| &p.exposure.routes)
        .any(|r| r.cheapest_other_host.is_none() && !r.other_hosts.is_empty());
    if capacity_only {
        lines.push(
            "\"not priced per request\": the other hosts are self-hosted deployments, priced by capacity rather than by the request, or lack an exchange rate".to_owned(),
        );
    }
    lines
}

/// Every violation of every plan, or that all comply.
pub(super) fn policy_lines(estimate: &Estimate) -> Vec<String> {
    let mut lines = Vec::new();
    for plan in &estimate.plans {
        for violation in plan.policy.iter().flat_map(|c| &c.violations) {
            lines.push(violation_text(&plan.id, violation));
        }
    }
    if lines.is_empty() {
        lines.push("every plan complies with the policy".to_owned());
    }
    lines
}

pub(super) fn policy_cost_title(cost: &PolicyCost) -> String {
    match &cost.cheapest_compliant {
        None => format!(
            "What the policy costs: no plan complies with it; the cheapest plan is `{}`",
            cost.cheapest
        ),
        Some(compliant) if *compliant == cost.cheapest => {
            format!("What the policy costs: nothing; the cheapest plan, `{compliant}`, complies")
        }
        Some(compliant) => format!(
            "What the policy costs: the cheapest compliant plan, `{compliant}`, against the cheapest plan, `{}`",
            cost.cheapest
        ),
    }
}

/// Year by year, then over the horizon; `None` when no plan complies.
pub(super) fn policy_cost_rows(
    cost: &PolicyCost,
    currency: &str,
) -> Option<(Vec<String>, Vec<Vec<String>>)> {
    let compliant = cost.cheapest_compliant.as_ref()?;
    let header = vec![
        "Year".to_owned(),
        format!("Cheapest ({})", cost.cheapest),
        format!("Cheapest compliant ({compliant})"),
        "Policy costs".to_owned(),
    ];
    let mut rows: Vec<Vec<String>> = cost
        .difference_by_year
        .iter()
        .map(|y| {
            vec![
                if y.months == 12 {
                    format!("Year {}", y.year)
                } else {
                    format!("Year {} ({})", y.year, months_text(y.months))
                },
                format_money(y.cheapest_cost, currency),
                format_money(y.cheapest_compliant_cost, currency),
                format_money(y.difference, currency),
            ]
        })
        .collect();
    if let Some(difference) = cost.difference {
        let sum = |f: fn(&YearDifference) -> Decimal| {
            cost.difference_by_year.iter().map(f).sum::<Decimal>()
        };
        rows.push(vec![
            "Horizon".to_owned(),
            format_money(sum(|y| y.cheapest_cost), currency),
            format_money(sum(|y| y.cheapest_compliant_cost), currency),
            format_money(difference, currency),
        ]);
    }
    Some((header, rows))
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::*;

    #[test]
    fn a_payback_of_one_month_is_singular() {
        assert_eq!(payback_text(Payback::Months { months: dec!(1) }), "1 month");
        // 0.96 shows as 1.0, a figure with a decimal: "months" reads right there.
        assert_eq!(
            payback_text(Payback::Months { months: dec!(0.96) }),
            "1.0 months"
        );
        assert_eq!(
            payback_text(Payback::Months { months: dec!(1.44) }),
            "1.4 months"
        );
    }
}
