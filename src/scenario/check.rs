//! Validation of a scenario file: every rule of [`super`] checked against the catalog, every
//! problem collected with its location, nothing computed.

mod fallback;
mod policy;
mod ranges;
mod trend;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

use rust_decimal::Decimal;
use toml::Spanned;

use super::{
    CacheTtl, Capacity, ExchangeRate, MAX_MONTHS, Plan, Route, Scenario, SelfHosting, SizeClass,
    Volume, Workload, rate, raw,
};
use crate::calendar::{DATE_RANGE, Date, YearMonth};
use crate::component::{Component, Fallback};
use crate::engine::request::{self, Fallbacks, PriceError, Request};
use crate::error::{Diagnostic, Error, Problems, SourceFile, suggest};
use crate::input;
use crate::money::Share;
use crate::pricing::{Catalog, Deployment, Offer, ServiceTier, Target};

/// Validates scenario text against a catalog.
pub(super) fn parse(file: &Arc<SourceFile>, catalog: &Catalog) -> Result<Scenario, Error> {
    let raw: raw::ScenarioFile = input::parse_toml(file)?;
    let mut check = Checker {
        file,
        problems: Problems::default(),
        peaks_reported: BTreeSet::new(),
        unpriced: HashMap::new(),
        missing_rates: BTreeMap::new(),
    };
    let header = raw.scenario.get_ref();
    let start = YearMonth::parse(header.start.get_ref());
    if start.is_none() {
        check.push(
            header.start.span(),
            format!(
                "`start` must be a month written `YYYY-MM` (found \"{}\")",
                header.start.get_ref()
            ),
            "write the first month of the horizon, such as \"2027-01\"",
        );
    }
    let months = header.months.as_ref().map_or(Some(12), |months| {
        let valid = u32::try_from(*months.get_ref())
            .ok()
            .filter(|m| (1..=MAX_MONTHS).contains(m));
        if valid.is_none() {
            check.push(
                months.span(),
                format!(
                    "`months` must be between 1 and {MAX_MONTHS} (found {})",
                    months.get_ref()
                ),
                "the horizon is a whole number of calendar months; 12 is one year",
            );
        }
        valid
    });
    // Dates have four-digit years, so the last month must be 9999-12 at the latest; past it a
    // dated change or trend could not be placed on its day.
    if let (Some(first), Some(count)) = (start, months) {
        let last =
            i64::from(first.year()) * 12 + i64::from(first.month()) - 1 + i64::from(count) - 1;
        if last / 12 > 9999 {
            let span = header
                .months
                .as_ref()
                .map_or_else(|| header.start.span(), Spanned::span);
            check.push(
                span,
                format!(
                    "the horizon of {count} months from {first} ends after 9999-12 (found {:04}-{:02})",
                    last / 12,
                    last % 12 + 1
                ),
                "dates run to 9999-12-31: start earlier or shorten the horizon",
            );
        }
    }
    let (currency, currency_ok) = header.currency.as_ref().map_or_else(
        || ("USD".to_owned(), true),
        |c| (c.get_ref().clone(), check.currency_code(c)),
    );
    let (rates, rates_written) = check.rates(&raw.exchange_rate, &currency);
    let self_hosting = check.self_hosting(raw.self_hosting.as_ref());
    let mut workloads = check.workloads(&raw.workload, raw.scenario.span());
    check.candidates(&raw.workload, &mut workloads, catalog);
    let conversion = currency_ok.then_some(Conversion {
        currency: &currency,
        written: &rates_written,
    });
    let plans = check.plans(&raw, &workloads, catalog, conversion, self_hosting);
    let policy = raw
        .policy
        .as_ref()
        .map(|p| check.policy(p.get_ref(), &workloads));
    let ranges = check.ranges(raw.ranges.as_ref());
    let trends = check.trends(&raw.trend, catalog, start.zip(months));
    check.report_missing_rates(&currency);
    check.problems.into_result(())?;
    // Every `None` above pushed a problem, so these hold values here.
    let (Some(start), Some(months)) = (start, months) else {
        unreachable!("a missing start or horizon is reported as a problem")
    };
    Ok(Scenario {
        name: header.name.clone(),
        description: header.description.clone(),
        path: file.name.clone(),
        start,
        months,
        currency,
        rates,
        workloads: workloads.into_iter().map(|(w, _)| w).collect(),
        plans,
        self_hosting,
        policy,
        ranges,
        trends,
    })
}

/// Where a workload's values were written, for messages about it.
struct WorkloadSpans {
    id: Range<usize>,
    peak_to_average: Option<Range<usize>>,
}

/// The report currency and the rates into it, when the report currency itself is valid (an
/// invalid one is reported once, not again at every offer priced in another currency).
#[derive(Clone, Copy)]
struct Conversion<'a> {
    currency: &'a str,
    /// Every currency with an `[[exchange_rate]]`, valid or not: an invalid rate is reported at
    /// the rate, not again as a missing one at each route.
    written: &'a BTreeSet<String>,
}

impl Conversion<'_> {
    fn lacks(&self, currency: &str) -> bool {
        currency != self.currency && !self.written.contains(currency)
    }
}

/// What checking a route needs to know besides the route itself.
struct RouteContext<'a> {
    workload_index: &'a BTreeMap<&'a str, usize>,
    /// Every workload, valid or not, so that routes to one with an invalid value are still checked.
    workloads: &'a [(Workload, WorkloadSpans)],
    catalog: &'a Catalog,
    conversion: Option<Conversion<'a>>,
    self_hosting: SelfHosting,
}

/// A route that needs an exchange rate the scenario lacks.
struct RateUse {
    span: Range<usize>,
    /// "offer `x`" or "the GPUs of `x`".
    needer: String,
    plan: String,
}

struct Checker<'a> {
    file: &'a Arc<SourceFile>,
    problems: Problems,
    /// Workloads whose peak does not fit in a day, already reported.
    peaks_reported: BTreeSet<usize>,
    /// Per missing currency, every route that needs it, reported together at the end.
    missing_rates: BTreeMap<String, Vec<RateUse>>,
    /// What [`unpriced`] found for each workload (by index) and offer: plans route the same
    /// workloads to the same offers, and each pair is priced once.
    unpriced: HashMap<(usize, String), Option<Component>>,
}

impl Checker<'_> {
    fn push(&mut self, span: Range<usize>, message: String, hint: impl Into<String>) {
        self.problems
            .push(Diagnostic::at(self.file, span, message).with_hint(hint));
    }

    fn currency_code(&mut self, code: &Spanned<String>) -> bool {
        let text = code.get_ref();
        let valid = rate::is_currency_code(text);
        if !valid {
            self.push(
                code.span(),
                format!("`currency` must be a three-letter code (found `{text}`)"),
                "use ISO 4217, such as `USD`, `EUR` or `CNY`",
            );
        }
        valid
    }

    fn share(&mut self, key: &str, value: Option<&Spanned<Decimal>>, default: Share) -> Share {
        let Some(value) = value else { return default };
        Share::new(*value.get_ref()).unwrap_or_else(|| {
            self.push(
                value.span(),
                format!(
                    "`{key}` must be between 0 and 1 (found {})",
                    value.get_ref()
                ),
                "shares are fractions: 0.25 means 25%",
            );
            default
        })
    }

    fn tokens(&mut self, key: &str, value: Option<&Spanned<Decimal>>) -> Decimal {
        let Some(value) = value else {
            return Decimal::ZERO;
        };
        let tokens = *value.get_ref();
        if tokens.is_sign_negative() && !tokens.is_zero() {
            self.push(
                value.span(),
                format!("`{key}` must not be negative (found {tokens})"),
                "token counts are per request",
            );
        }
        tokens
    }

    /// The valid rates by currency, and every currency a rate was written for.
    fn rates(
        &mut self,
        raw: &[raw::ExchangeRate],
        report_currency: &str,
    ) -> (BTreeMap<String, ExchangeRate>, BTreeSet<String>) {
        let mut rates = BTreeMap::new();
        let mut written = BTreeSet::new();
        for rate in raw {
            let Some(quote) = self.quote(rate, report_currency, &mut written) else {
                continue;
            };
            if !written.insert(quote.currency.clone()) {
                self.push(
                    rate.rate.span(),
                    format!("a second exchange rate for `{}`", quote.currency),
                    "give one rate per currency",
                );
                continue;
            }
            let datetime = rate.as_of.get_ref();
            let as_of = match (datetime.date, datetime.time) {
                (Some(d), None) => Date::new(i32::from(d.year), d.month, d.day),
                _ => None,
            };
            let Some(as_of) = as_of else {
                if datetime.time.is_none() && datetime.date.is_some() {
                    // A bare date that TOML accepts but whose year has not four digits.
                    self.push(
                        rate.as_of.span(),
                        format!("`as_of` must be a date {DATE_RANGE} (found `{datetime}`)"),
                        "years have four digits, from 1000 to 9999",
                    );
                } else {
                    self.push(
                        rate.as_of.span(),
                        format!("`as_of` must be a date (found `{datetime}`)"),
                        "write a bare TOML date such as 2026-11-20",
                    );
                }
                continue;
            };
            rates.insert(
                quote.currency.clone(),
                ExchangeRate {
                    currency: quote.currency,
                    rate: quote.report_per_unit,
                    quote: quote.text,
                    as_of,
                    source: rate.source.get_ref().clone(),
                },
            );
        }
        (rates, written)
    }

    /// Reads a rate's equation. The old form, a bare number beside `currency`, did not say which
    /// way it converts, so it is refused with both readings spelt out for the user to choose.
    /// The currency of a refused rate is still added to `written` where it is known.
    fn quote(
        &mut self,
        rate: &raw::ExchangeRate,
        report_currency: &str,
        written: &mut BTreeSet<String>,
    ) -> Option<rate::Quote> {
        let old_currency = rate.currency.as_ref().map(|c| c.get_ref().as_str());
        let Some(text) = rate.rate.get_ref().as_str() else {
            let number = self
                .file
                .text
                .get(rate.rate.span())
                .unwrap_or("1.16")
                .trim();
            let foreign = old_currency
                .filter(|c| rate::is_currency_code(c) && *c != report_currency)
                .unwrap_or(if report_currency == "EUR" {
                    "USD"
                } else {
                    "EUR"
                });
            if old_currency.is_some() {
                written.insert(foreign.to_owned());
            }
            self.push(
                rate.rate.span(),
                format!("`rate` must name both currencies, so that its direction is clear (found {number})"),
                format!(
                    "write `rate = \"1 {foreign} = {number} {report_currency}\"` if one {foreign} buys {number} {report_currency}, or `rate = \"1 {report_currency} = {number} {foreign}\"` if one {report_currency} buys {number} {foreign}, and remove `currency`"
                ),
            );
            return None;
        };
        let quote = rate::parse(text, report_currency);
        if let Some(currency) = &rate.currency {
            let named = quote
                .as_ref()
                .map_or(currency.get_ref().clone(), |q| q.currency.clone());
            written.insert(named);
            self.push(
                currency.span(),
                "`currency` is not needed: `rate` names both currencies".to_owned(),
                "remove `currency`",
            );
        }
        match quote {
            Ok(quote) if rate.currency.is_none() => Some(quote),
            Ok(_) => None,
            Err((message, hint)) => {
                // Whatever codes it names have a rate, if a broken one: not missing at each route.
                written.extend(
                    text.split(|c: char| !c.is_ascii_alphabetic())
                        .filter(|word| rate::is_currency_code(word))
                        .map(str::to_owned),
                );
                self.push(rate.rate.span(), message, hint);
                None
            }
        }
    }

    /// Every workload with its own id, each with the spans later messages point at. A workload
    /// with an invalid value is kept, with a stand-in for that value, so that the routes to it
    /// are still checked; the problem itself is already reported.
    fn workloads(
        &mut self,
        raw: &[raw::Workload],
        header: Range<usize>,
    ) -> Vec<(Workload, WorkloadSpans)> {
        if raw.is_empty() {
            self.push(
                header,
                "the scenario has no workloads".to_owned(),
                "add a `[[workload]]` table with an `id`, a volume and token counts",
            );
        }
        let mut seen = BTreeSet::new();
        let mut workloads = Vec::new();
        for workload in raw {
            let id = workload.id.get_ref();
            if !seen.insert(id.clone()) {
                self.push(
                    workload.id.span(),
                    format!("workload `{id}` is defined twice"),
                    "give each workload its own id",
                );
                continue;
            }
            let spans = WorkloadSpans {
                id: workload.id.span(),
                peak_to_average: workload.peak_to_average.as_ref().map(Spanned::span),
            };
            workloads.push((self.workload(workload), spans));
        }
        workloads
    }

    /// A workload, with stand-ins for invalid values: no requests, no size classes (which skip
    /// the context-window checks), and the defaults of shares.
    fn workload(&mut self, raw: &raw::Workload) -> Workload {
        let volume = match (&raw.requests_per_day, &raw.requests_per_month) {
            (Some(day), None) => Some((Volume::PerDay(*day.get_ref()), day)),
            (None, Some(month)) => Some((Volume::PerMonth(*month.get_ref()), month)),
            (Some(_), Some(month)) => {
                self.push(
                    month.span(),
                    "give `requests_per_day` or `requests_per_month`, not both".to_owned(),
                    "keep the one your traffic figures come in",
                );
                None
            }
            (None, None) => {
                self.push(
                    raw.id.span(),
                    format!("workload `{}` has no volume", raw.id.get_ref()),
                    "add `requests_per_day` or `requests_per_month`",
                );
                None
            }
        };
        if let Some((_, value)) = &volume
            && value.get_ref().is_sign_negative()
            && !value.get_ref().is_zero()
        {
            self.push(
                value.span(),
                format!(
                    "the request volume must not be negative (found {})",
                    value.get_ref()
                ),
                "give the number of requests at the start of the horizon",
            );
        }
        let sizes = self.sizes(raw);
        let cache_hit = self.share("cache_hit_share", raw.cache_hit_share.as_ref(), Share::ZERO);
        let cache_writes = self.cache_writes(raw, cache_hit);
        let audio_cache_hit = self.share(
            "audio_cache_hit_share",
            raw.audio_cache_hit_share.as_ref(),
            Share::ZERO,
        );
        let services = self.services(raw);
        let peak_to_average =
            raw.peak_to_average.as_ref().map_or(Decimal::ONE, |peak| {
                if *peak.get_ref() < Decimal::ONE {
                    self.push(
                    peak.span(),
                    format!("`peak_to_average` must be at least 1 (found {})", peak.get_ref()),
                    "the busiest hour's request rate over the average; 2 means twice the average",
                );
                }
                *peak.get_ref()
            });
        let growth_per_month = raw
            .growth_per_month
            .as_ref()
            .map_or(Decimal::ZERO, |growth| {
                if *growth.get_ref() <= Decimal::NEGATIVE_ONE {
                    self.push(
                        growth.span(),
                        format!(
                            "`growth_per_month` must be above -1 (found {})",
                            growth.get_ref()
                        ),
                        "0.03 is 3% more requests each month; -0.02 is 2% fewer",
                    );
                }
                *growth.get_ref()
            });
        Workload {
            id: raw.id.get_ref().clone(),
            name: raw.name.clone().unwrap_or_else(|| raw.id.get_ref().clone()),
            volume: volume.map_or(Volume::PerMonth(Decimal::ZERO), |(volume, _)| volume),
            sizes: sizes.unwrap_or_default(),
            cache_hit,
            cache_writes,
            audio_cache_hit,
            services,
            growth_per_month,
            peak_to_average,
            candidates: Vec::new(),
        }
    }

    /// The shares of text prompt tokens written to the cache, by lifetime: either per-lifetime
    /// shares, or `cache_write_share` with `cache_write_ttl`. With the hits, at most 1.
    fn cache_writes(&mut self, raw: &raw::Workload, cache_hit: Share) -> Vec<(Component, Share)> {
        let per_ttl = [
            (
                CacheTtl::FiveMinutes,
                "cache_write_5m_share",
                &raw.cache_write_5m_share,
            ),
            (
                CacheTtl::OneHour,
                "cache_write_1h_share",
                &raw.cache_write_1h_share,
            ),
            (
                CacheTtl::TwelveHours,
                "cache_write_12h_share",
                &raw.cache_write_12h_share,
            ),
        ];
        let mut writes = Vec::new();
        if let Some(shorthand) = &raw.cache_write_share {
            if let Some((_, key, Some(value))) = per_ttl.iter().find(|(_, _, v)| v.is_some()) {
                self.push(
                    value.span(),
                    format!("give `cache_write_share` or `{key}`, not both"),
                    "`cache_write_share` with `cache_write_ttl` is a shorthand for one lifetime's share",
                );
            }
            let ttl = raw
                .cache_write_ttl
                .as_ref()
                .map_or(CacheTtl::default(), |t| *t.get_ref());
            let share = self.share("cache_write_share", Some(shorthand), Share::ZERO);
            writes.push((
                ttl.component(),
                share,
                shorthand.span(),
                "cache_write_share",
            ));
        } else {
            if let Some(ttl) = &raw.cache_write_ttl {
                self.push(
                    ttl.span(),
                    "`cache_write_ttl` goes with `cache_write_share`".to_owned(),
                    "give `cache_write_share` too, or per-lifetime shares such as `cache_write_1h_share`",
                );
            }
            for (ttl, key, value) in per_ttl {
                if let Some(value) = value {
                    let share = self.share(key, Some(value), Share::ZERO);
                    writes.push((ttl.component(), share, value.span(), key));
                }
            }
        }
        let total: Decimal =
            cache_hit.get() + writes.iter().map(|(_, s, _, _)| s.get()).sum::<Decimal>();
        if total > Decimal::ONE
            && let Some((_, _, span, _)) = writes.last()
        {
            let keys: Vec<String> = writes
                .iter()
                .map(|(_, _, _, key)| format!("`{key}`"))
                .collect();
            self.push(
                span.clone(),
                format!(
                    "`cache_hit_share` plus {} is {total}, above 1",
                    keys.join(" plus ")
                ),
                "they are shares of the same input tokens, and a token is read or written, not both",
            );
        }
        writes
            .into_iter()
            .filter(|(_, share, _, _)| !share.get().is_zero())
            .map(|(component, share, _, _)| (component, share))
            .collect()
    }

    /// The shares of requests sent through each service tier; together at most 1.
    fn services(&mut self, raw: &raw::Workload) -> Vec<(ServiceTier, Share)> {
        let stated = [
            (ServiceTier::Batch, "batch_share", &raw.batch_share),
            (ServiceTier::Flex, "flex_share", &raw.flex_share),
            (ServiceTier::Priority, "priority_share", &raw.priority_share),
        ];
        let mut services = Vec::new();
        let mut total = Decimal::ZERO;
        let mut last = None;
        for (tier, key, value) in stated {
            if let Some(value) = value {
                let share = self.share(key, Some(value), Share::ZERO);
                total += share.get();
                last = Some(value.span());
                if !share.get().is_zero() {
                    services.push((tier, share));
                }
            }
        }
        if total > Decimal::ONE
            && let Some(span) = last
        {
            self.push(
                span,
                format!("the batch, flex and priority shares add up to {total}, above 1"),
                "each is a share of the workload's requests; the rest go at standard prices",
            );
        }
        services
    }

    fn sizes(&mut self, raw: &raw::Workload) -> Option<Vec<SizeClass>> {
        let flat = [
            &raw.input_tokens,
            &raw.output_tokens,
            &raw.reasoning_tokens,
            &raw.audio_input_tokens,
            &raw.image_input_tokens,
            &raw.audio_output_tokens,
            &raw.web_searches,
        ];
        if raw.size.is_empty() {
            let (Some(_), Some(_)) = (&raw.input_tokens, &raw.output_tokens) else {
                self.push(
                    raw.id.span(),
                    format!("workload `{}` has no request size", raw.id.get_ref()),
                    "give `input_tokens` and `output_tokens` per request, or `[[workload.size]]` classes",
                );
                return None;
            };
            return Some(vec![SizeClass {
                share: Share::ONE,
                input_tokens: self.tokens("input_tokens", raw.input_tokens.as_ref()),
                output_tokens: self.tokens("output_tokens", raw.output_tokens.as_ref()),
                reasoning_tokens: self.tokens("reasoning_tokens", raw.reasoning_tokens.as_ref()),
                audio_input_tokens: self
                    .tokens("audio_input_tokens", raw.audio_input_tokens.as_ref()),
                image_input_tokens: self
                    .tokens("image_input_tokens", raw.image_input_tokens.as_ref()),
                audio_output_tokens: self
                    .tokens("audio_output_tokens", raw.audio_output_tokens.as_ref()),
                web_searches: self.tokens("web_searches", raw.web_searches.as_ref()),
            }]);
        }
        if let Some(both) = flat.into_iter().flatten().next() {
            self.push(
                both.span(),
                "token counts go either on the workload or in its `[[workload.size]]` classes, not both".to_owned(),
                "move them into a size class",
            );
            return None;
        }
        let mut total = Decimal::ZERO;
        let mut sizes = Vec::with_capacity(raw.size.len());
        for size in &raw.size {
            let share = self.share("share", Some(&size.share), Share::ZERO);
            total += share.get();
            sizes.push(SizeClass {
                share,
                input_tokens: self.tokens("input_tokens", Some(&size.input_tokens)),
                output_tokens: self.tokens("output_tokens", Some(&size.output_tokens)),
                reasoning_tokens: self.tokens("reasoning_tokens", size.reasoning_tokens.as_ref()),
                audio_input_tokens: self
                    .tokens("audio_input_tokens", size.audio_input_tokens.as_ref()),
                image_input_tokens: self
                    .tokens("image_input_tokens", size.image_input_tokens.as_ref()),
                audio_output_tokens: self
                    .tokens("audio_output_tokens", size.audio_output_tokens.as_ref()),
                web_searches: self.tokens("web_searches", size.web_searches.as_ref()),
            });
        }
        if total != Decimal::ONE {
            self.push(
                raw.size[0].share.span(),
                format!(
                    "the size-class shares of workload `{}` sum to {total}, not 1",
                    raw.id.get_ref()
                ),
                "shares are fractions of the workload's requests and must add up to exactly 1",
            );
            return None;
        }
        Some(sizes)
    }

    fn plans(
        &mut self,
        raw: &raw::ScenarioFile,
        workloads: &[(Workload, WorkloadSpans)],
        catalog: &Catalog,
        conversion: Option<Conversion<'_>>,
        self_hosting: SelfHosting,
    ) -> Vec<Plan> {
        let header = raw.scenario.span();
        if raw.plan.is_empty() {
            self.push(
                header.clone(),
                "the scenario has no plans".to_owned(),
                "add a `[[plan]]` with `baseline = true` for what you run today, and one per alternative",
            );
            return Vec::new();
        }
        self.one_baseline(&raw.plan);
        let workload_index: BTreeMap<&str, usize> = workloads
            .iter()
            .enumerate()
            .map(|(i, (w, _))| (w.id.as_str(), i))
            .collect();
        let context = RouteContext {
            workload_index: &workload_index,
            workloads,
            catalog,
            conversion,
            self_hosting,
        };
        let mut seen = BTreeSet::new();
        let mut plans = Vec::new();
        for plan in &raw.plan {
            if !seen.insert(plan.id.get_ref().clone()) {
                self.push(
                    plan.id.span(),
                    format!("plan `{}` is defined twice", plan.id.get_ref()),
                    "give each plan its own id",
                );
                continue;
            }
            let before = self.problems.len();
            let one_time_cost = self.amount("one_time_cost", plan.one_time_cost.as_ref());
            let monthly_fixed_cost =
                self.amount("monthly_fixed_cost", plan.monthly_fixed_cost.as_ref());
            let (mut routes, sums) = self.routes(plan, &context);
            for (index, (workload, _)) in workloads.iter().enumerate() {
                match sums.get(&index) {
                    None => self.push(
                        plan.id.span(),
                        format!("plan `{}` does not route workload `{}`", plan.id.get_ref(), workload.id),
                        format!(
                            "add a `[[plan.route]]` with `workload = \"{}\"` and an `offer`; every plan serves every workload",
                            workload.id
                        ),
                    ),
                    Some(sum) if *sum != Decimal::ONE => self.push(
                        plan.id.span(),
                        format!(
                            "the shares of workload `{}` in plan `{}` sum to {sum}, not 1",
                            workload.id,
                            plan.id.get_ref()
                        ),
                        "the routes of one workload split all of its requests; make their shares add up to exactly 1",
                    ),
                    Some(_) => {}
                }
            }
            if self.problems.len() != before {
                continue;
            }
            routes.sort_by_key(|r| r.workload);
            plans.push(Plan {
                id: plan.id.get_ref().clone(),
                name: plan
                    .name
                    .clone()
                    .unwrap_or_else(|| plan.id.get_ref().clone()),
                description: plan.description.clone(),
                baseline: plan.baseline.as_ref().is_some_and(|b| *b.get_ref()),
                one_time_cost,
                monthly_fixed_cost,
                routes,
            });
        }
        plans
    }

    /// The routes of one plan that pass their checks, and the share routed per workload index.
    fn routes(
        &mut self,
        plan: &raw::Plan,
        context: &RouteContext<'_>,
    ) -> (Vec<Route>, BTreeMap<usize, Decimal>) {
        let mut routes = Vec::new();
        let mut sums: BTreeMap<usize, Decimal> = BTreeMap::new();
        let mut pairs = BTreeSet::new();
        for route in &plan.route {
            let name = route.workload.get_ref();
            let Some(&workload) = context.workload_index.get(name.as_str()) else {
                let ids = || context.workload_index.keys().copied();
                let hint = suggest(name, ids()).map_or_else(
                    || format!("the workloads are {}", quoted(ids())),
                    |best| format!("did you mean `{best}`?"),
                );
                self.push(
                    route.workload.span(),
                    format!("unknown workload `{name}`"),
                    hint,
                );
                continue;
            };
            let share = self.share("share", route.share.as_ref(), Share::ONE);
            if share.get().is_zero() {
                self.push(
                    route
                        .share
                        .as_ref()
                        .map_or(route.offer.span(), Spanned::span),
                    "a route's `share` must be above 0".to_owned(),
                    "remove the route instead of sending it nothing",
                );
            }
            *sums.entry(workload).or_default() += share.get();
            if !pairs.insert((workload, route.offer.get_ref().clone())) {
                self.push(
                    route.offer.span(),
                    format!(
                        "plan `{}` routes workload `{name}` to `{}` twice",
                        plan.id.get_ref(),
                        route.offer.get_ref()
                    ),
                    "merge the two routes into one with the summed share",
                );
            }
            if self.offer(plan, route, workload, context) {
                let fallback = self.fallbacks(plan, route, workload, context);
                routes.push(Route {
                    workload,
                    offer: route.offer.get_ref().clone(),
                    share,
                    fallback,
                    from: None,
                    until: None,
                });
            }
        }
        (routes, sums)
    }

    /// Exactly one plan must be the baseline: say so at the first plan, or at each extra flag.
    fn one_baseline(&mut self, plans: &[raw::Plan]) {
        let baselines: Vec<&Spanned<bool>> = plans
            .iter()
            .filter_map(|p| p.baseline.as_ref().filter(|b| *b.get_ref()))
            .collect();
        match baselines.as_slice() {
        [] => self.push(
            plans[0].id.span(),
            "no plan is the baseline".to_owned(),
            "mark the plan you run today with `baseline = true`; savings are measured against it",
        ),
        [_] => {}
        [_, extra @ ..] => {
            for flag in extra {
                self.push(
                    flag.span(),
                    "more than one plan is the baseline".to_owned(),
                    "keep `baseline = true` on one plan only",
                );
            }
        }
    }
    }

    fn amount(&mut self, key: &str, value: Option<&Spanned<Decimal>>) -> Decimal {
        let Some(value) = value else {
            return Decimal::ZERO;
        };
        if value.get_ref().is_sign_negative() && !value.get_ref().is_zero() {
            self.push(
                value.span(),
                format!("`{key}` must not be negative (found {})", value.get_ref()),
                "costs are amounts in the report currency",
            );
        }
        *value.get_ref()
    }

    /// Checks that a route's offer exists, can be converted, and can hold the requests.
    fn offer(
        &mut self,
        plan: &raw::Plan,
        route: &raw::Route,
        index: usize,
        context: &RouteContext<'_>,
    ) -> bool {
        let catalog = context.catalog;
        let workload = &context.workloads[index].0;
        let offer = match catalog.target(route.offer.get_ref()) {
            Ok(Target::Api(offer)) => offer,
            Ok(Target::SelfHosted(deployment)) => {
                return self.deployment(plan, route, index, deployment, context);
            }
            Err((message, hint)) => {
                self.push(route.offer.span(), message, hint);
                return false;
            }
        };
        let mut ok = true;
        if context.conversion.is_some_and(|c| c.lacks(&offer.currency)) {
            self.missing_rate(
                &offer.currency,
                RateUse {
                    span: route.offer.span(),
                    needer: format!("offer `{}`", offer.id),
                    plan: plan.id.get_ref().clone(),
                },
            );
            ok = false;
        }
        let largest = workload.largest_prompt();
        if let (Some(limit), Some(largest)) = (offer.input_limit(catalog), largest)
            && largest > Decimal::from(limit)
        {
            self.push(
                route.offer.span(),
                format!(
                    "workload `{}` sends requests of {largest} prompt tokens, but `{}` accepts at most {limit}",
                    workload.id, offer.id
                ),
                "route that workload to a model with a larger context window, or split its long requests into their own workload",
            );
            ok = false;
        }
        let found = *self
            .unpriced
            .entry((index, offer.id.clone()))
            .or_insert_with(|| unpriced(offer, workload));
        if let Some(component) = found {
            let key = component.key();
            self.push(
                route.offer.span(),
                format!(
                    "workload `{}` carries `{key}`, but `{}` has no `{key}` price",
                    workload.id, offer.id
                ),
                format!(
                    "route it to an offer that prices `{key}`, or add the price with `--pricing`"
                ),
            );
            ok = false;
        }
        ok
    }

    fn missing_rate(&mut self, currency: &str, used: RateUse) {
        self.missing_rates
            .entry(currency.to_owned())
            .or_default()
            .push(used);
    }

    /// One problem per currency without a rate, at its first use, naming everything that needs it.
    fn report_missing_rates(&mut self, report_currency: &str) {
        for (currency, uses) in std::mem::take(&mut self.missing_rates) {
            let Some(first) = uses.iter().min_by_key(|u| u.span.start) else {
                continue;
            };
            let mut message = format!(
                "{} is priced in {currency}, but the scenario has no exchange rate for {currency}",
                first.needer
            );
            if uses.len() > 1 {
                // Each thing that needs the rate once, with the plans whose routes use it.
                let mut needers: Vec<(&str, Vec<&str>)> = Vec::new();
                for used in &uses {
                    match needers.iter_mut().find(|(n, _)| *n == used.needer) {
                        Some((_, plans)) if !plans.contains(&used.plan.as_str()) => {
                            plans.push(&used.plan);
                        }
                        Some(_) => {}
                        None => needers.push((&used.needer, vec![&used.plan])),
                    }
                }
                let list: Vec<String> = needers
                    .iter()
                    .map(|(needer, plans)| {
                        let noun = if plans.len() == 1 { "plan" } else { "plans" };
                        format!("{needer} in {noun} {}", quoted(plans.iter().copied()))
                    })
                    .collect();
                message = format!(
                    "{message}; {} routes need it: {}",
                    uses.len(),
                    list.join(", ")
                );
            }
            let span = first.span.clone();
            self.push(
                span,
                message,
                format!(
                    "add an `[[exchange_rate]]` with `rate = \"1 {currency} = ... {report_currency}\"` (what one {currency} is worth in {report_currency}), `as_of` and `source`"
                ),
            );
        }
    }
}

impl Checker<'_> {
    fn self_hosting(&mut self, raw: Option<&Spanned<raw::SelfHosting>>) -> SelfHosting {
        let mut valid = SelfHosting::default();
        let Some(raw) = raw.map(Spanned::get_ref) else {
            return valid;
        };
        if let Some(utilization) = &raw.target_utilization {
            match Share::new(*utilization.get_ref()).filter(|s| !s.get().is_zero()) {
                Some(share) => valid.target_utilization = share,
                None => self.push(
                    utilization.span(),
                    format!("`target_utilization` must be above 0 and at most 1 (found {})", utilization.get_ref()),
                    "the share of a replica's measured throughput to plan for; 0.7 leaves 30% headroom",
                ),
            }
        }
        valid.capacity = raw.capacity;
        if let Some(hours) = &raw.peak_hours_per_day {
            if (1..=23).contains(hours.get_ref()) {
                valid.peak_hours_per_day = *hours.get_ref();
            } else {
                self.push(
                    hours.span(),
                    format!(
                        "`peak_hours_per_day` must be between 1 and 23 (found {})",
                        hours.get_ref()
                    ),
                    "the hours a day that replicas run at the peak's size",
                );
            }
        }
        valid.ops_cost_per_month =
            self.amount("ops_cost_per_month", raw.ops_cost_per_month.as_ref());
        valid
    }

    /// Checks a route to a self-hosted deployment: its GPU price can be converted, the workload's
    /// peak fits in a day when replicas scale down, and its model can hold the requests.
    fn deployment(
        &mut self,
        plan: &raw::Plan,
        route: &raw::Route,
        index: usize,
        deployment: &Deployment,
        context: &RouteContext<'_>,
    ) -> bool {
        let (workload, spans) = &context.workloads[index];
        let mut ok = true;
        if let Some(gpu_offer) = context.catalog.gpu_offer(&deployment.gpu_offer)
            && context
                .conversion
                .is_some_and(|c| c.lacks(&gpu_offer.currency))
        {
            self.missing_rate(
                &gpu_offer.currency,
                RateUse {
                    span: route.offer.span(),
                    needer: format!("the GPUs of `{}`", deployment.id),
                    plan: plan.id.get_ref().clone(),
                },
            );
            ok = false;
        }
        let hosting = &context.self_hosting;
        if hosting.capacity == Capacity::ScaleDown
            && !self.peak_fits(index, workload, spans, hosting)
        {
            ok = false;
        }
        let window = context
            .catalog
            .model(&deployment.model)
            .and_then(|m| m.context_window);
        let largest = workload.largest_prompt();
        if let (Some(limit), Some(largest)) = (window, largest)
            && largest > Decimal::from(limit)
        {
            self.push(
                route.offer.span(),
                format!(
                    "workload `{}` sends requests of {largest} prompt tokens, but `{}` accepts at most {limit}",
                    workload.id, deployment.model
                ),
                "route that workload elsewhere, or split its long requests into their own workload",
            );
            ok = false;
        }
        // Own GPUs serve tokens: audio and images count as prompt, but nothing runs a search.
        if workload.carries(Component::WebSearch) {
            self.push(
                route.offer.span(),
                format!(
                    "workload `{}` carries `web_search`, but self-hosted `{}` cannot run web searches",
                    workload.id, deployment.id
                ),
                "route it to an offer that prices `web_search`, or split the requests that search into their own workload",
            );
            ok = false;
        }
        ok
    }

    /// With replicas that scale down, the peak hours carry `peak_to_average` x
    /// `peak_hours_per_day` hours' worth of average traffic, which must fit in the day's 24.
    /// Reported once per workload, at its `peak_to_average`.
    fn peak_fits(
        &mut self,
        index: usize,
        workload: &Workload,
        spans: &WorkloadSpans,
        hosting: &SelfHosting,
    ) -> bool {
        let hours = hosting.peak_hours_per_day;
        // `None` when the product leaves the decimal range: far more than 24 as well.
        let product = workload.peak_to_average.checked_mul(Decimal::from(hours));
        if product.is_some_and(|p| p <= Decimal::from(24)) {
            return true;
        }
        if self.peaks_reported.insert(index) {
            let product = product.map_or_else(String::new, |p| format!(" = {p}"));
            self.push(
                spans.peak_to_average.clone().unwrap_or_else(|| spans.id.clone()),
                format!(
                    "workload `{}` peaks at {}x its average for {hours} hours a day (`peak_hours_per_day`), more than its whole day's traffic",
                    workload.id, workload.peak_to_average
                ),
                format!(
                    "with `capacity = \"scale_down\"`, `peak_to_average` times `peak_hours_per_day` must be at most 24 (found {} x {hours}{product}); lower one of them",
                    workload.peak_to_average
                ),
            );
        }
        false
    }
}

/// The first component of `workload`'s requests that `offer` has no price for and no fallback
/// for (audio at a text-only offer), priced exactly as the engine will: each size class through
/// each service tier the workload uses, so a price that only a tier or a service table states
/// counts where it applies. A cache read without its price names the component it falls back to.
pub(crate) fn unpriced(offer: &Offer, workload: &Workload) -> Option<Component> {
    for size in &workload.sizes {
        let Ok(quantities) = workload.quantities(size) else {
            // An overflow is reported by the engine, naming the figure.
            continue;
        };
        for (service, share) in workload.service_shares() {
            if share.get().is_zero() {
                continue;
            }
            let request = Request {
                quantities,
                service,
            };
            if let Err(PriceError::Unpriced(mut component)) =
                request::price(offer, &request, &mut Fallbacks::default())
            {
                while let Fallback::PriceOf {
                    component: next, ..
                } = component.fallback()
                {
                    component = next;
                }
                return Some(component);
            }
        }
    }
    None
}

fn quoted<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
