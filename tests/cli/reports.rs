//! The per-year tables, `--by month` and `sensitivity` from the command line, on
//! `tests/fixtures/sensitivity.toml` and its own catalog, whose figures are worked out by hand in
//! the fixture's comments: the open plan saves $565 a month against the closed one, less a
//! one-time $6,000.

use insta_cmd::assert_cmd_snapshot;

use super::costcalc;

const PRICING: [&str; 3] = [
    "--no-default-pricing",
    "--pricing",
    "tests/fixtures/sensitivity-pricing.toml",
];

const SCENARIO: &str = "tests/fixtures/sensitivity.toml";

fn stdout(args: &[&str]) -> String {
    let output = costcalc().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Year 1: 12 x $565 - $6,000 = $780; year 2: 12 x $565 = $6,780; cumulative $7,560, the
/// horizon's savings.
#[test]
fn every_year_in_the_table_markdown_and_csv() {
    for format in ["table", "markdown", "csv"] {
        insta::with_settings!({ snapshot_suffix => format }, {
            assert_cmd_snapshot!(costcalc()
                .args(["run", "--format", format])
                .args(PRICING)
                .arg(SCENARIO));
        });
    }
}

#[test]
fn the_csv_has_a_cost_savings_and_cumulative_column_for_year_two() {
    let mut args = vec!["run", "--format", "csv"];
    args.extend(PRICING);
    args.push(SCENARIO);
    let text = stdout(&args);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().clone();
    let open = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[1] == "open")
        .unwrap();
    let cell = |name: &str| open[header.iter().position(|h| h == name).unwrap()].to_owned();
    assert_eq!(cell("year1_cost"), "9060");
    assert_eq!(cell("year1_savings"), "780");
    // Year 2: 12 x $255 = $3,060, saving 12 x $565 = $6,780; cumulative 780 + 6,780 = 7,560.
    assert_eq!(cell("year2_cost"), "3060");
    assert_eq!(cell("year2_savings"), "6780");
    assert_eq!(cell("year2_cumulative_savings"), "7560");
    assert!(!header.iter().any(|h| h == "year3_cost"));
}

/// 78 months: years 1 to 5 in one table, 6 and 7 (six months) with the horizon total in the next.
/// Year 7 saves 6 x $565 = $3,390; the horizon 78 x $565 - $6,000 = $38,070.
#[test]
fn a_long_horizon_continues_in_a_second_table() {
    let mut args = vec!["run"];
    args.extend(PRICING);
    args.push("tests/fixtures/long-horizon.toml");
    let text = stdout(&args);
    assert!(text.contains("Cost and savings by year, years 1 to 5 of 7"));
    assert!(text.contains("Cost and savings by year, years 6 to 7 of 7"));
    assert!(text.contains("Year 7 (6 months)"));
    let second = text.split("years 6 to 7 of 7").nth(1).unwrap();
    let savings = second.lines().find(|l| l.contains("┆ savings ")).unwrap();
    assert!(savings.contains("$3,390.00"), "{savings}");
    assert!(savings.contains("$38,070.00"), "{savings}");
}

/// Each month the closed plan costs $820 and the open one $255, plus its one-time $6,000 in the
/// first month: $6,255.
#[test]
fn by_month_in_the_table_markdown_and_csv() {
    for (format, detail) in [("table", true), ("markdown", false), ("csv", true)] {
        insta::with_settings!({ snapshot_suffix => format }, {
            let mut command = costcalc();
            command.args(["run", "--by", "month", "--format", format]);
            if detail {
                command.args(["--detail", "workloads"]);
            }
            assert_cmd_snapshot!(command.args(PRICING).arg(SCENARIO));
        });
    }
}

#[test]
fn by_month_csv_parts_add_up_to_each_total() {
    let mut args = vec![
        "run",
        "--by",
        "month",
        "--detail",
        "workloads",
        "--format",
        "csv",
    ];
    args.extend(PRICING);
    args.push(SCENARIO);
    let text = stdout(&args);
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    // 2 plans x 24 months x (total, the one workload, fixed and one-time).
    assert_eq!(rows.len(), 2 * 24 * 3);
    let first_open: Vec<(&str, &str)> = rows
        .iter()
        .filter(|r| &r[1] == "open" && &r[2] == "2027-01")
        .map(|r| (r.get(3).unwrap(), r.get(4).unwrap()))
        .collect();
    assert_eq!(
        first_open,
        [
            ("total", "6255"),
            ("workload:chat", "255"),
            ("fixed_and_one_time", "6000")
        ]
    );
}

/// The tornado table: volume ($8,136 swing) first, then closedco's prices ($7,872), the cache
/// hit share ($3,240), openhost's prices ($2,448) and the EUR rate ($1,224); savings reach zero
/// at x0.442 the volume (250 / 565).
#[test]
fn sensitivity_as_a_table_and_in_markdown() {
    for format in ["table", "markdown", "csv"] {
        insta::with_settings!({ snapshot_suffix => format }, {
            assert_cmd_snapshot!(costcalc()
                .args(["sensitivity", "--format", format])
                .args(PRICING)
                .arg(SCENARIO));
        });
    }
}

#[test]
fn sensitivity_as_json() {
    let mut args = vec!["sensitivity", "--format", "json"];
    args.extend(PRICING);
    args.push(SCENARIO);
    let json: serde_json::Value = serde_json::from_str(&stdout(&args)).unwrap();
    let open = &json["sensitivity"]["plans"][0];
    let decimal = |v: &serde_json::Value| {
        v.as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    assert_eq!(decimal(&open["savings"]), rust_decimal::Decimal::from(7560));
    assert_eq!(open["assumptions"][0]["assumption"]["kind"], "volume");
    // 24 x 565 x 0.7 - 6,000.
    assert_eq!(
        decimal(&open["assumptions"][0]["savings_low"]),
        rust_decimal::Decimal::from(3492)
    );
    assert_eq!(json["sensitivity"]["ranges"]["volume"], "0.3");
}

#[test]
fn run_adds_the_sensitivity_section_to_tables_only() {
    let mut args = vec!["run", "--sensitivity"];
    args.extend(PRICING);
    args.push(SCENARIO);
    let text = stdout(&args);
    assert!(text.contains("Sensitivity: Sensitivity by hand"));
    assert!(text.contains("`open` against `closed`: saves $7,560.00 over 24 months"));
    let output = costcalc()
        .args(["run", "--sensitivity", "--format", "json"])
        .args(PRICING)
        .arg(SCENARIO)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("`--sensitivity` adds a section"));
}
