use super::text;

#[test]
fn html_outside_code_spans_is_shown_as_written() {
    assert_eq!(text("<b>x</b>"), "&lt;b&gt;x&lt;/b&gt;");
    assert_eq!(text("a <!-- hidden --> b"), "a &lt;!-- hidden --&gt; b");
    assert_eq!(text("R&D <img src=x>"), "R&amp;D &lt;img src=x&gt;");
}

#[test]
fn code_spans_are_left_alone() {
    assert_eq!(text("plan `<b>` costs <i>"), "plan `<b>` costs &lt;i&gt;");
    // A double-backtick span holds a single backtick; it ends only at a run of two.
    assert_eq!(text("``a`<b>`` <b>"), "``a`<b>`` &lt;b&gt;");
    // An unclosed run of backticks is literal text, so what follows is escaped.
    assert_eq!(text("` <b>"), "` &lt;b&gt;");
    assert_eq!(text("`` <b>`"), "`` &lt;b&gt;`");
}

#[test]
fn an_escaped_backtick_opens_no_code_span() {
    assert_eq!(text("\\`<b>`"), "\\`&lt;b&gt;`");
    // A backslash before `<` already makes it literal.
    assert_eq!(text("\\<b>"), "\\<b&gt;");
}

#[test]
fn code_spans_end_with_their_paragraph() {
    // Across one line break the span goes on; a blank line ends it, so the backtick is literal.
    assert_eq!(text("a `x\n<b>` c"), "a `x\n<b>` c");
    assert_eq!(text("a `x\n\n<b>` c"), "a `x\n\n&lt;b&gt;` c");
    assert_eq!(text("a `x\n  \n<b>` c"), "a `x\n  \n&lt;b&gt;` c");
}

#[test]
fn ordinary_text_is_borrowed_unchanged() {
    let plain = "Plan `qwen-mix` saves $1,200.00 (12 months) | x";
    assert!(matches!(text(plain), std::borrow::Cow::Borrowed(t) if t == plain));
    assert_eq!(text("café → ✓ <"), "café → ✓ &lt;");
}
