use super::*;

fn widest(text: &str) -> usize {
    text.lines().map(str::width).max().unwrap_or(0)
}

fn screen(width: u16) -> Screen {
    Screen {
        width,
        color: false,
    }
}

fn plans() -> Table {
    let mut table = Table::new(&["Plan", "Cost", "Savings vs baseline", "Per 1M tokens"], 1);
    table.tone(2, Tone::Savings);
    table.optional(&[3]);
    table.add_row(vec![
        "Claude and GPT today (closed)".to_owned(),
        "€317,231.99".to_owned(),
        "baseline".to_owned(),
        "€2.64".to_owned(),
    ]);
    table.add_row(vec![
        "Self-hosted DeepSeek-R1 on EU GPUs, open weights at EU hosts (self-hosted-eu)".to_owned(),
        "€465,561.31".to_owned(),
        "-€148,329.32".to_owned(),
        "€2.77".to_owned(),
    ]);
    table.add_row(vec![
        "Open weights at US hosts (open-us)".to_owned(),
        "€98,447.97".to_owned(),
        "€218,784.02".to_owned(),
        "€0.57".to_owned(),
    ]);
    table
}

#[test]
fn a_table_that_fits_is_left_as_it_is() {
    let (wide, hint) = plans().fit(screen(1000));
    assert_eq!(hint, None);
    // Plan column: 77 wide; then 11, 19 (the heading) and 13 (the heading); 4 columns of
    // padding and rules (3 each) and one more rule: 77 + 11 + 19 + 13 + 13 = 133.
    assert_eq!(widest(&wide), 133);
    assert_eq!(plans().fit(screen(133)).0, wide);
}

#[test]
fn a_narrower_screen_wraps_text_but_never_a_number() {
    let (text, hint) = plans().fit(screen(80));
    assert_eq!(hint, None);
    assert!(widest(&text) <= 80, "{text}");
    for number in ["€317,231.99", "-€148,329.32", "€218,784.02", "€2.77"] {
        assert!(text.contains(number), "{number} split in\n{text}");
    }
    // The long plan name is wrapped at spaces, every word kept.
    for word in ["Self-hosted", "DeepSeek-R1", "(self-hosted-eu)"] {
        // Words that fit a line are never cut.
        assert!(text.contains(word), "{word} lost in\n{text}");
    }
}

#[test]
fn too_narrow_a_screen_leaves_optional_columns_out_and_says_so() {
    // Floors: Plan 16 (text), Cost 11, Savings 12 (its widest value), Per 1M 6 (`€2.64` is 5,
    // the heading's word `tokens` 6); each column adds 3 and the table 1: 16 + 11 + 12 + 6 + 13
    // = 58 with all four columns, more than 50; without `Per 1M tokens`, 16 + 11 + 12 + 10 = 49.
    let (text, hint) = plans().fit(screen(50));
    assert!(widest(&text) <= 50, "{text}");
    assert!(!text.contains("€2.77"), "{text}");
    assert!(text.contains("-€148,329.32"), "{text}");
    assert_eq!(
        hint.as_deref(),
        Some(
            "(1 column left out to fit 50 columns: Per 1M tokens; `--width 58` or wider shows it)"
        )
    );
    let (text, hint) = plans().fit(screen(58));
    assert_eq!(hint, None);
    assert!(text.contains("€2.77"), "{text}");
}

#[test]
fn colour_adds_escapes_and_nothing_else() {
    let plain = plans().fit(screen(80)).0;
    let coloured = plans()
        .fit(Screen {
            width: 80,
            color: true,
        })
        .0;
    assert!(coloured.contains("\u{1b}["), "{coloured}");
    assert_eq!(strip(&coloured), plain);
}

/// `text` without its SGR escapes (`ESC [ ... m`).
fn strip(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn savings_are_green_losses_red_and_zero_or_words_plain() {
    assert_eq!(tint(Tone::Savings, "€218,784.02"), Some(Color::Green));
    assert_eq!(tint(Tone::Savings, "-€148,329.32"), Some(Color::Red));
    assert_eq!(tint(Tone::Savings, "-46.8%"), Some(Color::Red));
    assert_eq!(tint(Tone::Extra, "+€6,897.11"), Some(Color::Red));
    assert_eq!(tint(Tone::Extra, "-€1,564.72"), Some(Color::Green));
    assert_eq!(tint(Tone::Savings, "€0.00"), None);
    assert_eq!(tint(Tone::Savings, "baseline"), None);
    assert_eq!(tint(Tone::Savings, "-"), None);
    assert_eq!(tint(Tone::Plain, "€5.00"), None);
}

#[test]
fn prose_wraps_at_words_with_a_hanging_indent_and_keeps_long_urls_whole() {
    let mut out = String::new();
    let url = "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html";
    wrap_into(
        &mut out,
        &format!("- USD converted into EUR at 1 EUR = 1.16 USD (as of 2026-11-20, {url})"),
        40,
    );
    assert_eq!(
        out,
        format!("- USD converted into EUR at 1 EUR = 1.16\n  USD (as of 2026-11-20,\n  {url})")
    );
    let mut short = String::new();
    wrap_into(&mut short, "  - fits   as is", 40);
    assert_eq!(short, "  - fits   as is");
}

#[test]
fn text_escapes_prose_and_wraps_it_around_tables() {
    let mut text = Text::new(screen(30));
    let _ = writeln!(text, "a title \u{1b}[2J that is longer than thirty columns");
    text.table(&plans());
    let _ = write!(text, "after");
    let out = text.finish();
    assert!(
        out.starts_with("a title \\u{1b}[2J that is\nlonger than thirty columns\n┌"),
        "{out}"
    );
    assert!(out.ends_with("\nafter"), "{out}");
    assert!(!out.contains('\u{1b}'));
}

#[test]
fn a_word_is_cut_only_when_it_cannot_fit_a_line() {
    assert_eq!(
        wrap_cell("hosts (self-hosted-eu)", 18),
        "hosts\n(self-hosted-eu)"
    );
    // Longer than the line: before `@`, after `-`, and never inside `//`.
    assert_eq!(
        wrap_cell("qwen3-235b-a22b-instruct-2507@deepinfra", 20),
        "qwen3-235b-a22b-\ninstruct-2507\n@deepinfra"
    );
    assert_eq!(
        wrap_cell("https://developers.openai.com/api/docs", 34),
        "https://developers.openai.com/api/\ndocs"
    );
    // No place to break: cut where the line ends.
    assert_eq!(wrap_cell("abcdefghij", 4), "abcd\nefgh\nij");
}

/// A plan, a workload and six amounts: too wide for 60 columns with every amount.
fn workloads() -> Table {
    let mut table = Table::new(
        &[
            "Plan", "Workload", "Before", "After", "Change", "Volume", "Prices", "Status",
        ],
        2,
    );
    table.align_left(7);
    table.keys(2);
    table.name(7, "status of each row");
    table.optional_together(&[&[7], &[5, 6]]);
    table.add_row(
        [
            "today",
            "chat",
            "$7,200.00",
            "$16,200.00",
            "+$9,000.00",
            "+$3,600.00",
            "+$2,700.00",
            "changed",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    table.add_row(
        [
            "today",
            "extract",
            "$2,340.00",
            "$360.00",
            "-$1,980.00",
            "$0.00",
            "$0.00",
            "changed",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    table
}

#[test]
fn optional_columns_in_a_group_go_together_and_the_hint_uses_a_columns_name() {
    // Floors: Plan 5, Workload 8, Before 9, After 10, Change 10, Volume 10, Prices 10 and
    // Status 7, each plus 3, plus 1: 69 + 24 + 1 = 94. Without Status, 84; without Volume and
    // Prices as well, 84 - 26 = 58, which fits 60: both go, not just Volume.
    let (text, hint) = workloads().fit(screen(60));
    assert!(widest(&text) <= 60, "{text}");
    for gone in ["+$3,600.00", "+$2,700.00", "changed"] {
        assert!(!text.contains(gone), "{gone} in\n{text}");
    }
    assert_eq!(
        hint.as_deref(),
        Some(
            "(3 columns left out to fit 60 columns: Volume, Prices, status of each row; \
             `--width 94` or wider shows them)"
        )
    );
    // At 84 only the status goes.
    let (text, hint) = workloads().fit(screen(84));
    assert!(
        text.contains("+$3,600.00") && !text.contains("changed"),
        "{text}"
    );
    assert!(hint.unwrap().contains(": status of each row;"));
}

#[test]
fn a_table_cut_in_several_repeats_its_key_columns_in_each() {
    let mut table = workloads();
    table.optional(&[]);
    // 94 columns at the floors, 93 at 93 wide: cut in two, each with Plan and Workload.
    let (text, hint) = table.fit(screen(93));
    assert_eq!(hint, None);
    assert!(widest(&text) <= 93, "{text}");
    let headers: Vec<&str> = text.lines().filter(|l| l.contains("Plan")).collect();
    assert_eq!(headers.len(), 2, "{text}");
    for header in headers {
        assert!(header.contains("Workload"), "{header}");
    }
    assert_eq!(text.matches("extract").count(), 2, "{text}");
    // Every figure is still shown, once.
    for figure in ["$16,200.00", "+$3,600.00", "+$2,700.00", "-$1,980.00"] {
        assert_eq!(text.matches(figure).count(), 1, "{figure} in\n{text}");
    }
}

/// The table as comfy-table draws it from the same cells, wrapped the same way: what tables were
/// drawn with before they were drawn a line at a time.
fn drawn_by_comfy_table(table: &Table, shown: &[bool], widths: &[usize], color: bool) -> String {
    let natural: Vec<usize> = (0..table.header.len()).map(|c| table.natural(c)).collect();
    let wrap =
        |index: usize, cell: &str| wrapped_to(cell, widths[index], natural[index]).into_owned();
    let mut comfy = comfy_table::Table::new();
    comfy.load_style(UTF8_FULL_CONDENSED);
    comfy.force_no_tty();
    if color {
        comfy.enforce_styling();
    }
    comfy.set_header(table.header.iter().enumerate().map(|(c, h)| {
        let cell = Cell::new(wrap(c, h));
        if color {
            cell.add_attribute(Attribute::Bold)
        } else {
            cell
        }
    }));
    for row in table.rows() {
        let cells = (0..table.header.len()).map_while(|c| row.get(c).map(|text| (c, text)));
        comfy.add_row(cells.map(|(c, text)| {
            let cell = Cell::new(wrap(c, text));
            match table.tone.get(c).and_then(|t| tint(*t, text)) {
                Some(colour) if color => cell.fg(colour),
                _ => cell,
            }
        }));
    }
    for (index, align) in table.align.iter().enumerate() {
        if let Some(column) = comfy.column_mut(index) {
            column.set_cell_alignment(*align);
            if !shown[index] {
                column.set_constraint(comfy_table::ColumnConstraint::Hidden);
            }
        }
    }
    comfy.to_string()
}

#[test]
fn tables_are_drawn_as_comfy_table_draws_them() {
    let mut ragged = plans();
    // A short row, a cell of two lines, an empty cell and a wide character.
    ragged.add_row(vec!["short".to_owned()]);
    ragged.add_row(vec![
        "two\nlines".to_owned(),
        String::new(),
        "-€1.00".to_owned(),
        "数字".to_owned(),
    ]);
    let count = 4;
    for color in [false, true] {
        for width in [1000, 80, 50, 30] {
            let screen = Screen { width, color };
            for shown in [
                vec![true; count],
                vec![true, false, true, true],
                vec![true, true, false, false],
            ] {
                let natural: Vec<usize> = (0..count).map(|c| ragged.natural(c)).collect();
                let floor: Vec<usize> = (0..count).map(|c| ragged.floor(c)).collect();
                let mut drawn = String::new();
                ragged.draw(&shown, &natural, &floor, screen, &mut |line| {
                    drawn.push_str(line);
                    drawn.push('\n');
                });
                drawn.pop();
                let widths = if frame_width(&natural, &shown) <= usize::from(width) {
                    natural.clone()
                } else {
                    let text = [true, false, false, false];
                    squeeze(&natural, &floor, &shown, &text, usize::from(width))
                };
                let expected = drawn_by_comfy_table(&ragged, &shown, &widths, color);
                assert_eq!(drawn, expected, "width {width}, colour {color}, {shown:?}");
            }
        }
    }
}

#[test]
fn signed_money_spells_out_a_rise_and_leaves_a_fall_or_nothing_as_it_is() {
    use rust_decimal_macros::dec;
    assert_eq!(signed_money(dec!(1200), "USD"), "+$1,200.00");
    assert_eq!(signed_money(dec!(-3), "USD"), "-$3.00");
    assert_eq!(signed_money(rust_decimal::Decimal::ZERO, "USD"), "$0.00");
    // 0.004 rounds to nothing: no sign for a change that shows as zero.
    assert_eq!(signed_money(dec!(0.004), "USD"), "$0.00");
}

#[test]
fn a_table_written_into_a_writer_is_the_table_kept() {
    let mut kept = Text::new(screen(50));
    let mut bytes = Vec::new();
    let mut written = Text::into_writer(screen(50), &mut bytes);
    for text in [&mut kept, &mut written] {
        let _ = write!(text, "before, mid-line");
        text.table(&plans());
        let _ = writeln!(text, "after");
    }
    written.end().unwrap();
    let kept = kept.finish();
    assert!(kept.contains("mid-line\n┌"), "{kept}");
    assert_eq!(String::from_utf8(bytes).unwrap(), kept);
}
