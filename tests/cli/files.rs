//! Files in and out: what `--output` may write over and how, which input files are read, and
//! text from files shown on a terminal with its control characters escaped.

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

use super::costcalc;

/// A fresh folder under the system's temporary folder; each test removes its own at the end.
fn scratch(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("costcalc-cli-files-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&folder);
    fs::create_dir_all(&folder).unwrap();
    folder
}

fn entries(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Waits for a child, failing the test rather than hanging if it does not end in time.
fn wait_at_most(mut child: Child, seconds: u64) -> Output {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("costcalc did not finish within {seconds} s");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// The report `run --format csv` gives for the small fixture, on standard output.
fn small_csv() -> Vec<u8> {
    let output = costcalc()
        .args(["run", "--format", "csv", "tests/fixtures/small.toml"])
        .output()
        .unwrap();
    assert!(output.status.success());
    output.stdout
}

fn run_small_to(target: &Path) -> Output {
    costcalc()
        .args([
            "run",
            "--format",
            "csv",
            "tests/fixtures/small.toml",
            "--output",
        ])
        .arg(target)
        .output()
        .unwrap()
}

#[test]
fn names_with_control_characters_are_escaped_in_tables_and_markdown() {
    // The figures are ordinary: `chat` on gpt-5.4-mini is 1,000 requests x (1,000 input tokens x
    // $0.75 + 100 output tokens x $4.50) / 1M = 1,000 x $0.0012 = $1.20; on gpt-oss-120b it is
    // 1,000 x (1,000 x $0.037 + 100 x $0.17) / 1M = $0.054, shown $0.05.
    assert_cmd_snapshot!(costcalc().args(["run", "tests/fixtures/control-characters.toml"]));
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "--format",
        "markdown",
        "tests/fixtures/control-characters.toml"
    ]));
    for format in ["table", "markdown"] {
        let output = costcalc()
            .args([
                "run",
                "--format",
                format,
                "tests/fixtures/control-characters.toml",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        let raw: Vec<char> = text
            .chars()
            .filter(|c| c.is_control() && *c != '\n')
            .collect();
        assert!(raw.is_empty(), "{format}: raw {raw:?}");
    }
}

#[test]
fn json_and_csv_carry_names_exactly() {
    let output = costcalc()
        .args([
            "run",
            "--format",
            "json",
            "tests/fixtures/control-characters.toml",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        report["scenarios"][0]["scenario"]["name"],
        "Escapes \u{1b}]0;pwned\u{7} here"
    );
    for format in ["csv", "csv-lines"] {
        let output = costcalc()
            .args([
                "run",
                "--format",
                format,
                "tests/fixtures/control-characters.toml",
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert!(text.contains("open\u{1b}[2J"), "{format}: {text}");
    }
}

#[test]
fn error_messages_escape_names_and_source_lines() {
    assert_cmd_snapshot!(costcalc().args([
        "run",
        "tests/fixtures/control-characters-error.toml",
        "tests/fixtures/control-characters-raw.toml"
    ]));
    // The raw fixture really holds the bytes that the snapshot shows escaped.
    let raw = fs::read("tests/fixtures/control-characters-raw.toml").unwrap();
    assert!(raw.contains(&0x1b) && raw.contains(&0x07));
}

#[test]
fn a_device_or_fifo_is_refused_as_input_before_it_is_read() {
    // `/dev/zero` never ends; reading it whole would exhaust memory.
    let child = costcalc()
        .args(["run", "/dev/zero"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = wait_at_most(child, 20);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: `/dev/zero` is a character device, not a regular file; expected a TOML file\n"
    );

    // Opening a FIFO with no writer would wait forever.
    let folder = scratch("input-fifo");
    let fifo = folder.join("scenario.toml");
    mkfifo(&fifo);
    let child = costcalc()
        .args(["run", "tests/fixtures/small.toml", "--pricing"])
        .arg(&fifo)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let output = wait_at_most(child, 20);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("is a FIFO (named pipe), not a regular file"),
        "{}",
        stderr(&output)
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn an_input_over_64_mib_is_refused_before_it_is_read() {
    let folder = scratch("input-large");
    let large = folder.join("large.toml");
    // A sparse file: 64 MiB and one byte, without writing them.
    let file = fs::File::create(&large).unwrap();
    file.set_len(64 * 1024 * 1024 + 1).unwrap();
    drop(file);
    let output = costcalc().arg("run").arg(&large).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: `{}` is larger than the 64 MiB limit for an input file (found 67108865 bytes)\n\
             hint: a scenario or catalog is a few KiB; check that this is the file you meant\n",
            large.display()
        )
    );
    // Exactly 64 MiB is still read: its first byte, not UTF-8, is what stops it.
    let mut file = fs::File::options().write(true).open(&large).unwrap();
    file.set_len(64 * 1024 * 1024).unwrap();
    std::io::Write::write_all(&mut file, &[0xff]).unwrap();
    drop(file);
    let output = costcalc().arg("run").arg(&large).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains(":1:1: the file is not valid UTF-8"),
        "{}",
        stderr(&output)
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn output_through_a_symbolic_link_writes_its_target() {
    let folder = scratch("output-symlink");
    let real = folder.join("real.csv");
    fs::write(&real, "old\n").unwrap();
    let link = folder.join("latest.csv");
    symlink("real.csv", &link).unwrap();
    let output = run_small_to(&link);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(fs::read(&real).unwrap(), small_csv());
    assert_eq!(entries(&folder), ["latest.csv", "real.csv"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn output_to_dev_null_or_a_fifo_writes_through() {
    let output = run_small_to(Path::new("/dev/null"));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let folder = scratch("output-fifo");
    let fifo = folder.join("report.csv");
    mkfifo(&fifo);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read(fifo).unwrap())
    };
    let output = run_small_to(&fifo);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(reader.join().unwrap(), small_csv());
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    assert_eq!(entries(&folder), ["report.csv"]);
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn output_to_a_folder_is_an_error() {
    let output = costcalc()
        .args(["run", "tests/fixtures/small.toml", "--output", "tests"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: `tests` is a folder; the report needs a file name\n\
         hint: name a file in it, such as `tests/report.txt`\n"
    );
}

#[test]
fn output_onto_an_input_is_refused_and_writes_nothing() {
    let folder = scratch("output-input");
    let scenario = folder.join("in.toml");
    fs::copy("tests/fixtures/small.toml", &scenario).unwrap();
    let pricing = folder.join("negotiated.toml");
    fs::copy("tests/fixtures/negotiated.toml", &pricing).unwrap();
    let link = folder.join("link.toml");
    symlink("in.toml", &link).unwrap();
    let original = fs::read(&scenario).unwrap();
    let original_pricing = fs::read(&pricing).unwrap();

    let refused = |args: &[&str], output: &Path| {
        let result = costcalc().args(args).arg(output).output().unwrap();
        assert_eq!(result.status.code(), Some(1), "{args:?}");
        assert!(result.stdout.is_empty());
        assert_eq!(
            stderr(&result),
            format!(
                "error: `{}` is an input file; refusing to write the report over it\n\
                 hint: name another file with `--output`, or `-` for standard output\n",
                output.display()
            )
        );
    };
    let scenario_text = scenario.to_str().unwrap();
    let pricing_text = pricing.to_str().unwrap();
    refused(&["run", scenario_text, "--output"], &scenario);
    // The same file by another name.
    refused(&["run", scenario_text, "--output"], &link);
    refused(
        &["run", scenario_text, "--output"],
        &folder.join(".").join("in.toml"),
    );
    // A `--pricing` file, named itself or through its folder.
    refused(
        &[
            "run",
            "tests/fixtures/small.toml",
            "--pricing",
            pricing_text,
            "--output",
        ],
        &pricing,
    );
    refused(&["models", "--pricing", pricing_text, "--output"], &pricing);
    refused(
        &[
            "quote",
            "--input",
            "1000",
            "--output",
            "100",
            "--pricing",
            folder.to_str().unwrap(),
            "--out",
        ],
        &pricing,
    );
    assert_eq!(fs::read(&scenario).unwrap(), original);
    assert_eq!(fs::read(&pricing).unwrap(), original_pricing);
    assert_eq!(
        entries(&folder),
        ["in.toml", "link.toml", "negotiated.toml"]
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_dash_is_standard_output() {
    let expected = small_csv();
    for flag in ["-o", "--output"] {
        let output = costcalc()
            .args([
                "run",
                "--format",
                "csv",
                "tests/fixtures/small.toml",
                flag,
                "-",
            ])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        assert_eq!(output.stdout, expected);
    }
    let quote = |extra: &[&str]| {
        let output = costcalc()
            .args([
                "quote",
                "--input",
                "1000",
                "--output",
                "100",
                "gpt-5.4-mini@openai",
            ])
            .args(extra)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
        output.stdout
    };
    assert_eq!(quote(&["--out", "-"]), quote(&[]));
    assert!(!Path::new(env!("CARGO_MANIFEST_DIR")).join("-").exists());
}

#[test]
fn a_replaced_report_keeps_its_permissions() {
    let folder = scratch("output-permissions");
    let private = folder.join("private.csv");
    fs::write(&private, "old\n").unwrap();
    fs::set_permissions(&private, fs::Permissions::from_mode(0o600)).unwrap();
    let output = run_small_to(&private);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(fs::read(&private).unwrap(), small_csv());
    assert_eq!(
        fs::metadata(&private).unwrap().permissions().mode() & 0o777,
        0o600
    );
    fs::remove_dir_all(folder).unwrap();
}

#[test]
fn a_closed_standard_output_is_an_error() {
    // `sh` closes the descriptor for the command, as a user's `>&-` does.
    let bin = get_cargo_bin("costcalc");
    let closed = Command::new("sh")
        .args(["-c", "\"$0\" run tests/fixtures/small.toml >&-"])
        .arg(&bin)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(closed.status.code(), Some(1));
    assert_eq!(
        stderr(&closed),
        "error: cannot write the report: standard output is closed\nhint: to discard the \
         output, redirect it with `> /dev/null` (opened for writing only), or write the report \
         with `--output /dev/null`\n"
    );
    // Sending the report to /dev/null on purpose is not an error.
    let discarded = Command::new("sh")
        .args(["-c", "\"$0\" run tests/fixtures/small.toml >/dev/null"])
        .arg(&bin)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(discarded.status.success(), "{}", stderr(&discarded));
    // Nor is a closed standard output when the report goes to a file.
    let folder = scratch("closed-stdout");
    let to_file = Command::new("sh")
        .args([
            "-c",
            "\"$0\" run tests/fixtures/small.toml --output \"$1\" >&-",
        ])
        .arg(&bin)
        .arg(folder.join("report.txt"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(to_file.status.success(), "{}", stderr(&to_file));
    assert!(folder.join("report.txt").exists());
    fs::remove_dir_all(folder).unwrap();
}

/// A scenario whose `csv-lines` report is tens of MB: 150 workloads on 2 plans over 600 months
/// is 180,000 rows, long enough to write that a signal can arrive mid-write.
fn big_scenario(path: &Path) {
    use std::fmt::Write as _;
    let mut text =
        String::from("[scenario]\nname = \"Big\"\nstart = \"2027-01\"\nmonths = 600\n\n");
    for i in 0..150 {
        let _ = writeln!(
            text,
            "[[workload]]\nid = \"w{i}\"\nrequests_per_month = 1000\ninput_tokens = 1000\noutput_tokens = 100\n"
        );
    }
    for (plan, offer, baseline) in [
        ("today", "gpt-5.4-mini@openai", true),
        ("open", "gpt-oss-120b@deepinfra", false),
    ] {
        let _ = writeln!(text, "[[plan]]\nid = \"{plan}\"\nbaseline = {baseline}\n");
        for i in 0..150 {
            let _ = writeln!(
                text,
                "[[plan.route]]\nworkload = \"w{i}\"\noffer = \"{offer}\"\n"
            );
        }
    }
    fs::write(path, text).unwrap();
}

#[test]
fn an_interrupt_mid_write_leaves_no_temporary_file() {
    let folder = scratch("interrupt");
    let scenario = folder.join("big.toml");
    big_scenario(&scenario);
    let target = folder.join("report.csv");
    let mut interrupted_mid_write = 0;
    for signal in ["TERM", "INT", "TERM", "INT"] {
        fs::write(&target, "the old report\n").unwrap();
        let mut child = costcalc()
            .args(["run", "--format", "csv-lines", "--output"])
            .arg(&target)
            .arg(&scenario)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the temporary file appears (the report is rendered and being written),
        // then interrupt. If the run finishes first, the checks below still hold.
        let deadline = Instant::now() + Duration::from_mins(1);
        let mut sent = false;
        while child.try_wait().unwrap().is_none() && Instant::now() < deadline {
            if entries(&folder)
                .iter()
                .any(|name| name.starts_with(".report.csv."))
            {
                let status = Command::new("kill")
                    .args([format!("-{signal}"), child.id().to_string()])
                    .status()
                    .unwrap();
                assert!(status.success());
                sent = true;
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let status = child.wait().unwrap();
        assert_eq!(
            entries(&folder),
            ["big.toml", "report.csv"],
            "no temporary file is left after SIG{signal}"
        );
        let report = fs::read(&target).unwrap();
        if report == b"the old report\n" {
            assert!(sent && !status.success(), "SIG{signal}: {status}");
            interrupted_mid_write += 1;
        } else {
            // The rename came first: the new report is whole.
            assert!(report.starts_with(b"scenario,plan,workload"), "SIG{signal}");
            assert!(report.ends_with(b"\r\n") || report.ends_with(b"\n"));
        }
    }
    // Of four tries, at least one should land mid-write on any machine that takes more than a
    // moment to write tens of MB; say so rather than pass silently if none did.
    if interrupted_mid_write == 0 {
        eprintln!("note: no signal landed mid-write; only the invariants were checked");
    }
    fs::remove_dir_all(folder).unwrap();
}
