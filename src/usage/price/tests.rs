use std::path::{Path, PathBuf};

use rust_decimal_macros::dec;

use super::*;
use crate::usage::{Options, read};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/usage")
        .join(name)
}

fn priced(name: &str, mapping: &Mapping, options: &PriceOptions) -> Result<UsageReport, Error> {
    let catalog = Catalog::builtin().unwrap();
    let aggregate = read(&[fixture(name)], &Options::default()).unwrap();
    price(
        &catalog,
        mapping,
        &aggregate,
        Days::default(),
        name,
        options,
    )
}

#[test]
fn the_costcalc_fixture_costs_what_the_price_list_says() {
    let report = priced(
        "costcalc.csv",
        &Mapping::default(),
        &PriceOptions::default(),
    )
    .unwrap();
    let costs: Vec<(&str, String, Decimal)> = report
        .groups
        .iter()
        .flat_map(|g| {
            g.months
                .iter()
                .map(move |m| (g.offer.as_str(), m.month.to_string(), m.cost))
        })
        .collect();
    // qwen-plus@alibaba lists input 0.4, output 1.2, reasoning 4 and no cache prices, so cache
    // reads and writes are billed as input. January: (3,000,000 + 200,000 + 50,000) x 0.4 / 1M
    // = 1.30, 400,000 x 1.2 / 1M = 0.48, 20,000 x 4 / 1M = 0.08: 1.86. The average request
    // (3,250,000 / 1,500 prompt tokens) is far below the 256,000 tier. February: 1,000,000 x
    // 0.4 / 1M + 50,000 x 1.2 / 1M = 0.46. gpt-4.1@openai: 1,000 x 2 / 1M + 200 x 8 / 1M.
    assert_eq!(
        costs,
        vec![
            ("gpt-4.1@openai", "2025-01".to_owned(), dec!(0.0036)),
            ("qwen-plus@alibaba", "2025-01".to_owned(), dec!(1.86)),
            ("qwen-plus@alibaba", "2025-02".to_owned(), dec!(0.46)),
        ]
    );
    assert_eq!(report.total_cost, dec!(2.3236));
    // The gpt-4.1 row states 0.0036: no difference. One qwen-plus row states a cost and the
    // other does not, so January's stated cost is not shown, and the total is not either.
    assert_eq!(report.groups[0].months[0].difference, Some(dec!(0)));
    assert_eq!(report.groups[1].months[0].stated_cost, None);
    assert_eq!(report.total_stated_cost, None);
    assert!(matches!(
        &report.notes[..],
        [Note::NoPrice {
            component: Component::CachedInput,
            ..
        }]
    ));
}

#[test]
fn an_unmapped_name_is_one_error_with_its_records_and_a_suggestion() {
    let catalog = Catalog::builtin().unwrap();
    let mapping = Mapping::new(&catalog, None, &[]).unwrap();
    let path = std::env::temp_dir().join(format!("costcalc-price-{}.csv", std::process::id()));
    std::fs::write(
        &path,
        "time,model,provider,input,output,requests\n\
         2025-01-01,gpt-4o-mimi,openai,10,1,1\n\
         2025-01-02,gpt-4o-mimi,openai,10,1,1\n\
         2025-01-02,mystery,openai,10,1,1\n",
    )
    .unwrap();
    let aggregate = read(std::slice::from_ref(&path), &Options::default()).unwrap();
    let error = price(
        &catalog,
        &mapping,
        &aggregate,
        Days::default(),
        "u.csv",
        &PriceOptions::default(),
    )
    .unwrap_err();
    let text = error.report();
    assert_eq!(error.exit_code(), 1);
    assert!(
        text.starts_with("error: u.csv: 2 model names map to no offer in the catalog"),
        "{text}"
    );
    assert!(text.contains("`gpt-4o-mimi` from `openai` (2 records): no model or alias is named so; did you mean `gpt-4o-mini`?"), "{text}");
    assert!(
        text.contains("`mystery` from `openai` (1 record): no model or alias is named so\n"),
        "{text}"
    );
    std::fs::remove_file(path).unwrap();
}

#[test]
fn comparison_ranks_offers_and_saves_against_the_observed_cost() {
    let options = PriceOptions {
        compare: vec!["gpt-4.1@openai".to_owned(), "qwen-plus@alibaba".to_owned()],
        ..PriceOptions::default()
    };
    let report = priced("costcalc.csv", &Mapping::default(), &options).unwrap();
    let comparison = report.comparison.unwrap();
    let offers: Vec<(&str, Decimal, Decimal)> = comparison
        .offers
        .iter()
        .map(|o| (o.offer.as_str(), o.cost, o.saving))
        .collect();
    // At qwen-plus: 2.32 for its own traffic, and gpt-4.1's request is 1,000 x 0.4 / 1M + 200
    // x 1.2 / 1M = 0.00064: 2.32064, saving 2.3236 - 2.32064 = 0.00296.
    // At gpt-4.1 (input 2, cached 0.5, output 8): January qwen traffic 3,050,000 x 2 / 1M
    // (uncached and written) + 200,000 x 0.5 / 1M + 420,000 x 8 / 1M (reasoning at the output
    // price) = 6.10 + 0.10 + 3.36 = 9.56; February 500,000 x 2 / 1M + 500,000 x 0.5 / 1M +
    // 50,000 x 8 / 1M = 1.65; plus its own 0.0036: 11.2136, saving 2.3236 - 11.2136 = -8.89.
    assert_eq!(
        offers,
        vec![
            ("qwen-plus@alibaba", dec!(2.32064), dec!(0.00296)),
            ("gpt-4.1@openai", dec!(11.2136), dec!(-8.89)),
        ]
    );
    assert_eq!(comparison.offers[0].multiple_of_cheapest, Some(dec!(1)));
}
