use rust_decimal_macros::dec;

use super::*;
use crate::estimate::sensitivity::{Assumption, PlanSensitivity, Sensitivity, Swing};
use crate::terminal::screen::Screen;

fn result(savings: Decimal, year_one_savings: Decimal) -> Sensitivity {
    Sensitivity {
        scenario: "By hand".to_owned(),
        currency: "USD".to_owned(),
        months: 24,
        baseline: "gpt-mini".to_owned(),
        ranges: crate::scenario::ranges::Ranges::default(),
        plans: vec![PlanSensitivity {
            plan: "gpt-oss".to_owned(),
            savings,
            year_one_savings,
            assumptions: vec![Swing {
                assumption: Assumption::Volume,
                low: dec!(0.7),
                high: dec!(1.3),
                savings_low: dec!(100),
                savings_high: dec!(-300),
                year_one_low: dec!(50),
                year_one_high: dec!(-150),
                swing: dec!(400),
                tipping_point: Some(dec!(0.85)),
            }],
        }],
    }
}

fn title_of(savings: Decimal, year_one_savings: Decimal) -> String {
    let result = result(savings, year_one_savings);
    title(&result, &result.plans[0])
}

#[test]
fn a_plan_that_loses_money_costs_more_rather_than_saving_a_negative_amount() {
    assert_eq!(
        title_of(dec!(-2178.345), dec!(-8491.95)),
        "`gpt-oss` against `gpt-mini`: costs $2,178.35 more over 24 months ($8,491.95 in year 1) \
         at the base values"
    );
    assert_eq!(
        title_of(dec!(8000), dec!(2000)),
        "`gpt-oss` against `gpt-mini`: saves $8,000.00 over 24 months ($2,000.00 in year 1) at \
         the base values"
    );
    // Year 1 going the other way says so in words.
    assert_eq!(
        title_of(dec!(5000), dec!(-1000)),
        "`gpt-oss` against `gpt-mini`: saves $5,000.00 over 24 months (costs $1,000.00 more in \
         year 1) at the base values"
    );
    assert_eq!(
        title_of(dec!(-5000), dec!(1000)),
        "`gpt-oss` against `gpt-mini`: costs $5,000.00 more over 24 months (saves $1,000.00 in \
         year 1) at the base values"
    );
    // A loss that rounds to nothing is no loss: no `costs $0.00 more`.
    assert_eq!(
        title_of(dec!(-0.004), dec!(0)),
        "`gpt-oss` against `gpt-mini`: saves $0.00 over 24 months ($0.00 in year 1) at the base \
         values"
    );
}

#[test]
fn the_table_says_a_loss_in_words_and_names_the_bar_column_it_leaves_out() {
    let text = render(&result(dec!(-2178.35), dec!(-8491.95)), Screen::default());
    assert!(
        text.contains("costs $2,178.35 more over 24 months"),
        "{text}"
    );
    assert!(!text.contains("saves -"), "{text}");
    // At 60 columns the bars go first, named though their heading is empty.
    let narrow = render(
        &result(dec!(-2178.35), dec!(-8491.95)),
        Screen {
            width: 60,
            color: false,
        },
    );
    assert!(
        narrow.contains("left out to fit 60 columns: Swing bar, "),
        "{narrow}"
    );
    assert!(!narrow.contains("(unnamed)"), "{narrow}");
}
