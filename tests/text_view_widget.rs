//! The text view widget driven like a user would: hover, drag, double-click, accessibility.

use std::ops::Range;
use std::sync::Arc;

use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use tawsim::text_view::{TextRenderer, TextView, TextViewOutput, TextViewState};

const TEXT: &str = "قرار مجلس الأمن رقم 2254 صدر في نيويورك";

struct Fixture {
    renderer: TextRenderer,
    view: TextViewState,
    last: TextViewOutput,
    finished: Vec<Range<usize>>,
}

fn harness() -> Harness<'static, Fixture> {
    let fixture =
        Fixture { renderer: TextRenderer::new(), view: TextViewState::new(Arc::from(TEXT), 20.0), last: TextViewOutput::default(), finished: Vec::new() };
    let mut harness = Harness::builder().with_size(vec2(700.0, 300.0)).with_step_dt(1.0 / 60.0).with_max_steps(600).build_ui_state(
        |ui, f: &mut Fixture| {
            let output = TextView::new("article", &[]).show(ui, &mut f.renderer, &mut f.view);
            if output.selection_finished
                && let Some(selection) = f.view.selection.clone()
            {
                f.finished.push(selection);
            }
            f.last = output;
        },
        fixture,
    );
    harness.run();
    harness
}

fn char_index(needle: &str) -> usize {
    TEXT[..TEXT.find(needle).expect("in text")].chars().count()
}

fn centre(harness: &mut Harness<'static, Fixture>, char_index: usize) -> Pos2 {
    harness.state_mut().view.char_screen_rect(char_index).expect("laid out").center()
}

#[test]
fn exposes_its_text_to_accessibility() {
    let harness = harness();
    let node = harness.get_by_label("Article text");
    assert_eq!(node.value().as_deref(), Some(TEXT));
}

#[test]
fn hover_reports_the_character_under_the_pointer() {
    let mut harness = harness();
    for c in [0, char_index("2254") + 2, char_index("نيويورك") + 3] {
        let pos = centre(&mut harness, c);
        harness.hover_at(pos);
        harness.run();
        assert_eq!(harness.state().last.hovered, Some(c));
    }
}

fn drag(harness: &mut Harness<'static, Fixture>, from: Pos2, to: Pos2) {
    harness.drag_at(from);
    harness.run();
    for step in 1..=4 {
        harness.hover_at(from + (to - from) * (step as f32 / 4.0));
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
}

#[test]
fn dragging_leftwards_in_rtl_selects_forward_in_reading_order() {
    let mut harness = harness();
    let first = char_index("مجلس");
    let last = char_index("الأمن") + "الأمن".chars().count() - 1;
    let (from, to) = (centre(&mut harness, first), centre(&mut harness, last));
    assert!(to.x < from.x, "reading forward in Arabic moves the pointer left");
    drag(&mut harness, from, to);
    assert_eq!(harness.state().view.selection, Some(first..last + 1));
    assert_eq!(harness.state().finished, vec![first..last + 1]);
}

#[test]
fn dragging_rightwards_selects_the_same_logical_range() {
    let mut harness = harness();
    let first = char_index("مجلس");
    let last = char_index("الأمن") + 2;
    let (from, to) = (centre(&mut harness, last), centre(&mut harness, first));
    drag(&mut harness, from, to);
    assert_eq!(harness.state().view.selection, Some(first..last + 1));
}

#[test]
fn drag_from_arabic_into_a_number_selects_in_logical_order() {
    let mut harness = harness();
    let first = char_index("رقم");
    let last = char_index("2254") + 1; // the first "2" and "2": "22"
    let (from, to) = (centre(&mut harness, first), centre(&mut harness, last));
    drag(&mut harness, from, to);
    assert_eq!(harness.state().view.selection, Some(first..last + 1));
}

#[test]
fn double_click_selects_a_word() {
    let mut harness = harness();
    let start = char_index("2254");
    let pos = centre(&mut harness, start + 1);
    for _ in 0..2 {
        for pressed in [true, false] {
            harness.event(Event::PointerButton { pos, button: PointerButton::Primary, pressed, modifiers: Modifiers::NONE });
            harness.step();
        }
    }
    harness.run();
    assert_eq!(harness.state().view.selection, Some(start..start + 4));
}

#[test]
fn a_plain_click_clears_the_selection_and_reports_the_character() {
    let mut harness = harness();
    harness.state_mut().view.selection = Some(0..4);
    let c = char_index("نيويورك");
    let pos = centre(&mut harness, c);
    harness.hover_at(pos);
    harness.run();
    for pressed in [true, false] {
        harness.event(Event::PointerButton { pos, button: PointerButton::Primary, pressed, modifiers: Modifiers::NONE });
        harness.step();
    }
    assert_eq!(harness.state().last.clicked, Some(c));
    assert_eq!(harness.state().view.selection, None);
}

#[test]
fn a_new_font_size_lays_the_text_out_again() {
    let mut harness = harness();
    let width_before = harness.state_mut().view.char_screen_rect(0).expect("laid out").width();
    harness.state_mut().view.font_size = 22.0;
    harness.run();
    let width_after = harness.state_mut().view.char_screen_rect(0).expect("laid out again").width();
    assert!(width_after > width_before, "glyphs grow with the font: {width_before} -> {width_after}");
}
