//! Hostile input to the newer features: dates and horizons at the edges of the calendar, and
//! what each must answer instead of a panic, a silent wrong figure or a bare message.

use std::path::PathBuf;

use super::costcalc;

/// A fresh folder of this test process, for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("costcalc-cli-attack-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_horizon_running_past_9999_is_refused_rather_than_priced_without_its_trend() {
    // 9999-01 plus 13 months ends in 10000-01, where no date exists. The engine used to find no
    // day for the trend of 9999-06-01 and priced the whole horizon at the old list: a wrong
    // figure with no word said.
    let output = costcalc()
        .args(["run", "--pricing", "tests/fixtures/dated-pricing.toml"])
        .arg("tests/fixtures/attack/horizon-past-9999.toml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "error: tests/fixtures/attack/horizon-past-9999.toml:7:10: the horizon of 13 months from \
         9999-01 ends after 9999-12 (found 10000-01)\n  |\n7 | months = 13\n  |          ^^\n\
         hint: dates run to 9999-12-31: start earlier or shorten the horizon\n"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn a_change_dated_in_the_year_1_is_named_as_out_of_range() {
    let dir = scratch("year-1");
    let pricing = dir.join("p.toml");
    let text = std::fs::read_to_string("tests/fixtures/dated-pricing.toml")
        .unwrap()
        .replace("from = 2027-03-01", "from = 0001-01-01");
    std::fs::write(&pricing, text).unwrap();
    let output = costcalc()
        .args(["check", "--pricing"])
        .arg(&pricing)
        .arg("tests/fixtures/dated.toml")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("`from` must be a date from 1000-01-01 to 9999-12-31 (found `0001-01-01`)")
            && text.contains("hint: years have four digits, from 1000 to 9999"),
        "{text}"
    );
}

#[test]
fn quote_date_outside_four_digit_years_is_a_usage_error_that_says_which_dates_exist() {
    let output = costcalc()
        .args([
            "quote",
            "--input",
            "1",
            "--output",
            "1",
            "--date",
            "0001-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains(
            "expected a date such as 2026-11-29, from 1000-01-01 to 9999-12-31 (found `0001-01-01`)"
        ),
        "{}",
        stderr(&output)
    );
}

#[test]
fn an_html_report_into_a_missing_folder_says_to_create_it_and_writes_nothing() {
    let dir = scratch("missing-folder");
    let target = dir.join("not-yet").join("report.html");
    let output = costcalc()
        .args([
            "run",
            "--format",
            "html",
            "scenarios/startup-small.toml",
            "--output",
        ])
        .arg(&target)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let folder = dir.join("not-yet");
    assert!(
        stderr(&output).ends_with(&format!(
            "hint: the folder `{}` does not exist; create it first (`mkdir -p {}`)\n",
            folder.display(),
            folder.display()
        )),
        "{}",
        stderr(&output)
    );
    assert!(!folder.exists());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn a_report_to_a_full_device_says_so_with_a_hint() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    let output = costcalc()
        .args(["run", "--format", "html", "scenarios/startup-small.toml"])
        .args(["--output", "/dev/full"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stderr(&output).starts_with("error: cannot write to `/dev/full`: ")
            && stderr(&output)
                .ends_with("\nhint: free some space, or name a file on another disk\n"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn man_below_a_command_without_commands_is_a_usage_error_that_says_so() {
    let output = costcalc().args(["man", "run", "run"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert_eq!(
        stderr(&output),
        "error: `costcalc run` has no commands, so `run` names no page\n\
         hint: `costcalc man run` shows the page of `costcalc run`\n"
    );
    assert!(output.stdout.is_empty());
}

/// The widest line of a text, in characters (the reports' box drawing is one column each).
fn widest(text: &[u8]) -> usize {
    String::from_utf8_lossy(text)
        .lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

#[test]
fn columns_beyond_65535_is_the_widest_layout_not_the_default() {
    // COLUMNS=5000 and COLUMNS=99999 both ask for more than the 1,000 allowed; 99999 used to
    // fail to parse as a 16-bit width and fall back to 120.
    let run = |columns: &str| {
        costcalc()
            .env("COLUMNS", columns)
            .args(["run", "scenarios/eu-fintech.toml"])
            .output()
            .unwrap()
    };
    let (wide, huge, default) = (run("5000"), run("99999"), run("garbage"));
    assert!(widest(&wide.stdout) > widest(&default.stdout));
    assert_eq!(huge.stdout, wide.stdout);
}

#[test]
fn a_fifty_year_html_chart_labels_every_fifth_year_not_every_one() {
    // `scenarios/startup-small.toml` over 600 months: its cumulative chart used to label every
    // year, 51 labels printed over each other; now every fifth year and the end, 11 labels.
    let dir = scratch("fifty-years");
    let scenario = dir.join("long.toml");
    let text = std::fs::read_to_string("scenarios/startup-small.toml")
        .unwrap()
        .replace("months = 24", "months = 600");
    std::fs::write(&scenario, text).unwrap();
    let output = costcalc()
        .args(["run", "--format", "html"])
        .arg(&scenario)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let page = String::from_utf8(output.stdout).unwrap();
    let first_chart = page.split("</svg>").next().unwrap();
    let labels: Vec<&str> = first_chart
        .split('>')
        .filter_map(|piece| piece.strip_suffix("</text"))
        .map(str::trim)
        .filter(|text| text.len() == 7 && text.as_bytes()[4] == b'-')
        .collect();
    assert_eq!(
        labels,
        [
            "2027-01", "2032-01", "2037-01", "2042-01", "2047-01", "2052-01", "2057-01", "2062-01",
            "2067-01", "2072-01", "2077-01"
        ]
    );
}
