use rust_decimal_macros::dec;

use super::*;
use crate::engine::request::{self, Fallbacks, Request};
use crate::estimate::Quantities;
use crate::fixtures;
use crate::money::TOKENS_PER_MTOK;
use crate::pricing::Weights;

/// One offer with every kind of table: base prices, a batch discount, a flex table, a
/// whole-request tier without flex prices and an excess tier with them.
fn catalog() -> Catalog {
    let offer = "input = 2.00\noutput = 8\ncached_input = 0.5\nper_request = 0.001\n\
                 batch_discount = 0.5\n\
                 [offer.flex]\ninput = 1\n\
                 [[offer.tier]]\nabove_input_tokens = 200000\ninput = 4\ncached_input = 1\n\
                 [[offer.tier]]\nfrom_input_tokens = 1000000\napplies_to = \"excess\"\n\
                 input = 6\ncached_input = 1.5\n\
                 [offer.tier.flex]\ninput = 3\ncached_input = 0.75";
    fixtures::catalog(
        &[
            fixtures::PROVIDER_P.to_owned(),
            fixtures::model("m", "M", Weights::Open, "US", 2_000_000),
            fixtures::offer("m", "p", "2026-01-01", offer),
        ]
        .concat(),
    )
}

#[test]
fn every_table_of_an_offer_is_written_in_full_without_fallbacks() {
    let text = String::from_utf8(csv(&rows(&catalog()))).unwrap();
    // Base: as stated; no `reasoning` row (it falls back to `output`) and none for the cache
    // writes (they fall back to `input`). Batch: a discount of 0.5 on token prices, 2 -> 1,
    // 0.5 -> 0.25, 8 -> 4, never on the request fee. Flex: input 1 laid over the base, the rest
    // kept. Priority is not priced: no rows.
    // Tier above 200,000: input 4 and cached 1 stated, output and the fee kept from the base;
    // batch halves them (4 -> 2, 1 -> 0.5, 8 -> 4); no flex rows, since the offer lists flex
    // prices and this tier lists none of its own (its flex requests pay the tier's standard
    // prices).
    // Tier from 1,000,000 (excess): input 6 and cached 1.5, output 8 and the fee from beneath;
    // batch 3, 0.75, 4; flex: its own table, input 3 and cached 0.75 over the tier.
    let expected = "\
offer,provider,model,component,unit,tier_input_tokens,tier_boundary,tier_applies_to,service_tier,price,currency,as_of,source,effective_from,effective_to
m@p,p,m,input,per_mtok,,,,,2,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,,,,,0.5,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,,,,,8,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,,,,,0.001,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,input,per_mtok,,,,batch,1,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,,,,batch,0.25,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,,,,batch,4,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,,,,batch,0.001,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,input,per_mtok,,,,flex,1,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,,,,flex,0.5,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,,,,flex,8,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,,,,flex,0.001,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,input,per_mtok,200000,above,whole_request,,4,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,200000,above,whole_request,,1,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,200000,above,whole_request,,8,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,200000,above,whole_request,,0.001,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,input,per_mtok,200000,above,whole_request,batch,2,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,200000,above,whole_request,batch,0.5,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,200000,above,whole_request,batch,4,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,200000,above,whole_request,batch,0.001,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,input,per_mtok,1000000,from,excess,,6,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,1000000,from,excess,,1.5,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,1000000,from,excess,,8,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,1000000,from,excess,,0.001,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,input,per_mtok,1000000,from,excess,batch,3,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,1000000,from,excess,batch,0.75,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,1000000,from,excess,batch,4,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,1000000,from,excess,batch,0.001,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,input,per_mtok,1000000,from,excess,flex,3,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,cached_input,per_mtok,1000000,from,excess,flex,0.75,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,output,per_mtok,1000000,from,excess,flex,8,USD,2026-01-01,https://example.com/pricing,,
m@p,p,m,per_request,per_request,1000000,from,excess,flex,0.001,USD,2026-01-01,https://example.com/pricing,,
";
    assert_eq!(text, expected);
}

#[test]
fn the_header_names_the_csv_columns() {
    let text = String::from_utf8(csv(&[])).unwrap();
    assert_eq!(text, format!("{}\n", HEADER.join(",")));
}

/// Every exported price of the built-in catalog is the one the engine bills: for each row of
/// the base or of a whole-request tier, a request placed in that tier with `q` of the row's
/// component costs `input price x prompt / 1M + row price x q / unit`. Excess tiers bill the
/// tokens below their threshold at lower prices, so their rows are checked by the test above.
#[test]
fn every_exported_price_is_the_one_the_engine_bills() {
    let catalog = Catalog::builtin().unwrap();
    let rows = rows(&catalog);
    assert!(rows.len() > 100, "the built-in catalog has many prices");
    let mut checked = 0;
    for row in &rows {
        if row.tier.is_some_and(|t| t.applies_to == TierScope::Excess) {
            continue;
        }
        let listed = catalog.offer(row.offer).unwrap();
        let offer =
            &*listed.with_change(row.effective_from.and_then(|d| listed.change_in_force(d)));
        let thresholds: Vec<u64> = offer
            .tiers
            .iter()
            .map(|t| t.threshold.input_tokens)
            .collect();
        // The prompt: 1,000 tokens below every tier, or one token past the row's threshold.
        let prompt = row.tier.map_or(1000, |t| t.input_tokens + 1);
        let quantity: u64 = match row.component.unit() {
            Unit::PerMtok => 1000,
            Unit::PerCall | Unit::PerRequest => 1,
        };
        let in_prompt = if row.component.in_prompt() {
            quantity
        } else {
            0
        };
        let top = prompt + in_prompt;
        let level = thresholds.iter().rposition(|t| top > *t);
        let expected_level = row.tier.map(|t| {
            thresholds
                .iter()
                .position(|x| *x == t.input_tokens)
                .unwrap()
        });
        if level != expected_level {
            // The next tier starts within 1,000 tokens: no request isolates this one.
            continue;
        }
        let mut quantities = Quantities::default();
        quantities[Component::Input] = Decimal::from(prompt);
        quantities[row.component] += Decimal::from(quantity);
        let request = Request {
            quantities,
            service: row.service,
        };
        let cost = request::price(offer, &request, &mut Fallbacks::default())
            .unwrap()
            .total;
        let input_price = rows
            .iter()
            .find(|r| {
                r.offer == row.offer
                    && r.tier == row.tier
                    && r.service == row.service
                    && r.component == Component::Input
            })
            .unwrap()
            .price;
        let per_unit = match row.component.unit() {
            Unit::PerMtok => TOKENS_PER_MTOK,
            Unit::PerCall | Unit::PerRequest => Decimal::ONE,
        };
        let expected = input_price * Decimal::from(prompt) / TOKENS_PER_MTOK
            + row.price * Decimal::from(quantity) / per_unit;
        assert_eq!(cost, expected, "{row:?}");
        checked += 1;
    }
    assert!(checked * 10 > rows.len() * 9, "{checked} of {}", rows.len());
}

#[test]
fn decimal_prices_are_written_exactly() {
    // 0.075 x (1 - 0.5) = 0.0375: no rounding, no float noise, no trailing zeros.
    let catalog = fixtures::catalog(
        &[
            fixtures::PROVIDER_P.to_owned(),
            fixtures::model("m", "M", Weights::Open, "US", 2_000_000),
            fixtures::offer(
                "m",
                "p",
                "2026-01-01",
                "input = 0.075\noutput = 0.30\nbatch_discount = 0.5",
            ),
        ]
        .concat(),
    );
    let prices: Vec<(Option<ServiceTier>, Component, Decimal)> = rows(&catalog)
        .iter()
        .map(|r| (r.service, r.component, r.price))
        .collect();
    assert_eq!(
        prices,
        [
            (None, Component::Input, dec!(0.075)),
            (None, Component::Output, dec!(0.3)),
            (Some(ServiceTier::Batch), Component::Input, dec!(0.0375)),
            (Some(ServiceTier::Batch), Component::Output, dec!(0.15)),
        ]
    );
}

/// The SQL recipe is written against both tables' columns and every component: a column or
/// component added without updating it fails here, not in a user's warehouse.
#[test]
fn the_sql_recipe_reads_every_column_and_prices_every_component() {
    let sql = include_str!("../../docs/price-usage.sql");
    let between = |start: &str, end: &str| {
        let from = sql.find(start).unwrap() + start.len();
        let to = from + sql[from..].find(end).unwrap();
        &sql[from..to]
    };
    // `'name': 'TYPE'` pairs: each name is the quoted word before a `': '`.
    let pairs: Vec<&str> = between("columns = {", "}").split("': '").collect();
    let price_columns: Vec<&str> = pairs[..pairs.len() - 1]
        .iter()
        .map(|p| p.rsplit('\'').next().unwrap())
        .collect();
    assert_eq!(price_columns, HEADER);
    // `name TYPE` pairs; `DECIMAL(38,12)`'s comma starts no column.
    let usage_columns: Vec<&str> = between("CREATE OR REPLACE TABLE usage (", ");")
        .split(',')
        .filter_map(|c| c.split_whitespace().next())
        .filter(|c| !c.ends_with(')'))
        .collect();
    assert_eq!(usage_columns.join(","), crate::usage::native_header());
    for component in Component::ALL {
        let pivot = format!("WHEN component = '{}' THEN price", component.key());
        assert!(sql.contains(&pivot), "`{}` is not priced", component.key());
    }
}

#[test]
fn an_offer_with_dated_changes_has_one_set_of_rows_per_period() {
    // Own prices 1 / 4 with a batch discount of 0.5 until the day before the first change;
    // from 2027-03-01 input 0.5 (output stays 4, batch halves both: 0.25 / 2) until 2027-04-10,
    // the day before the second; from 2027-04-11 0.2 / 2 (batch 0.1 / 1), open-ended, with the
    // second change's own as-of date and source.
    let offer = "input = 1\noutput = 4\nbatch_discount = 0.5\n\
                 [[offer.change]]\nfrom = 2027-03-01\ninput = 0.5\n\
                 [[offer.change]]\nfrom = 2027-04-11\ninput = 0.2\noutput = 2\n\
                 as_of = 2027-02-15\nsource = \"https://example.com/announcement\"";
    let catalog = fixtures::catalog(
        &[
            fixtures::PROVIDER_P.to_owned(),
            fixtures::model("m", "M", Weights::Open, "US", 2_000_000),
            fixtures::offer("m", "p", "2026-12-01", offer),
        ]
        .concat(),
    );
    let text = String::from_utf8(csv(&rows(&catalog))).unwrap();
    let body: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(
        body,
        [
            "m@p,p,m,input,per_mtok,,,,,1,USD,2026-12-01,https://example.com/pricing,,2027-02-28",
            "m@p,p,m,output,per_mtok,,,,,4,USD,2026-12-01,https://example.com/pricing,,2027-02-28",
            "m@p,p,m,input,per_mtok,,,,batch,0.5,USD,2026-12-01,https://example.com/pricing,,2027-02-28",
            "m@p,p,m,output,per_mtok,,,,batch,2,USD,2026-12-01,https://example.com/pricing,,2027-02-28",
            "m@p,p,m,input,per_mtok,,,,,0.5,USD,2026-12-01,https://example.com/pricing,2027-03-01,2027-04-10",
            "m@p,p,m,output,per_mtok,,,,,4,USD,2026-12-01,https://example.com/pricing,2027-03-01,2027-04-10",
            "m@p,p,m,input,per_mtok,,,,batch,0.25,USD,2026-12-01,https://example.com/pricing,2027-03-01,2027-04-10",
            "m@p,p,m,output,per_mtok,,,,batch,2,USD,2026-12-01,https://example.com/pricing,2027-03-01,2027-04-10",
            "m@p,p,m,input,per_mtok,,,,,0.2,USD,2027-02-15,https://example.com/announcement,2027-04-11,",
            "m@p,p,m,output,per_mtok,,,,,2,USD,2027-02-15,https://example.com/announcement,2027-04-11,",
            "m@p,p,m,input,per_mtok,,,,batch,0.1,USD,2027-02-15,https://example.com/announcement,2027-04-11,",
            "m@p,p,m,output,per_mtok,,,,batch,1,USD,2027-02-15,https://example.com/announcement,2027-04-11,",
        ]
    );
}
