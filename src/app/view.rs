//! What the window keeps of the open article between frames, apart from the session: the text
//! view's layout cache, selection and scrolling, the text size, the flash of an entity just
//! focused, the find bar and the popups.
//!
//! The view is also where on-screen intents become logical edits: "label" means the selection if
//! there is one, and "move the left edge" means the end of a right-to-left entity and the start
//! of a left-to-right one, which only the layout knows ([`ArticleView::resolve`]).

use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use egui::Pos2;

use super::commands::{EditCommand, Side, SpanEnd, ViewCommand};
use super::panels::editor::{FindBar, HighlightCache};
use super::session::{OpenArticle, ViewEvent};
use crate::text_view::widget::{DEFAULT_FONT_SIZE, FONT_SIZE_RANGE};
use crate::text_view::{LayoutEngine, TextViewState};

/// How long an entity focused from the list or the keyboard flashes.
const FLASH: Duration = Duration::from_millis(900);

/// The view of the open article.
pub struct ArticleView {
    /// Layout cache, selection and scrolling of the shown article (none before one is shown).
    pub text: Option<TextViewState>,
    /// Article text size, in points.
    pub font_size: f32,
    /// The entity flashing, until when.
    pub flash: Option<(u64, Instant)>,
    /// The find bar, when open.
    pub find: Option<FindBar>,
    /// An entity's context menu: which entity and where.
    pub context_menu: Option<(u64, Pos2)>,
    /// Character under the pointer.
    pub hovered: Option<usize>,
    /// The selection the label picker is shown for.
    pub picker_for: Option<Range<usize>>,
    /// The article's highlights, kept between frames.
    pub highlights: HighlightCache,
}

impl Default for ArticleView {
    fn default() -> Self {
        ArticleView {
            text: None,
            font_size: DEFAULT_FONT_SIZE,
            flash: None,
            find: None,
            context_menu: None,
            hovered: None,
            picker_for: None,
            highlights: HighlightCache::default(),
        }
    }
}

impl ArticleView {
    /// Starts afresh when another article (or another version of it) is open; keeps the layout,
    /// selection and scrolling while it is the same text.
    pub fn sync(&mut self, open: Option<&OpenArticle>) {
        let Some(open) = open else {
            self.text = None;
            return;
        };
        if self.text.as_ref().is_some_and(|v| Arc::ptr_eq(v.doc.text(), &open.text)) {
            return;
        }
        self.text = Some(TextViewState::new(open.text.clone(), self.font_size));
        self.flash = None;
        self.close_popups();
    }

    /// Does what the session asked of the view.
    pub fn handle(&mut self, events: Vec<ViewEvent>, now: Instant) {
        for event in events {
            match event {
                ViewEvent::Reveal { char, flash } => {
                    if let Some(text) = &mut self.text {
                        text.scroll_to_char(char);
                    }
                    if let Some(id) = flash {
                        self.flash = Some((id, now + FLASH));
                    }
                }
                ViewEvent::ClearSelection => self.clear_selection(),
                ViewEvent::Select(range) => {
                    self.close_popups();
                    if let Some(text) = &mut self.text {
                        text.selection = Some(range);
                    }
                }
            }
        }
    }

    /// The current selection.
    pub fn selection(&self) -> Option<Range<usize>> {
        self.text.as_ref().and_then(|t| t.selection.clone())
    }

    /// Drops the selection.
    pub fn clear_selection(&mut self) {
        if let Some(text) = &mut self.text {
            text.selection = None;
        }
        self.picker_for = None;
    }

    /// Closes popups (Escape).
    pub fn close_popups(&mut self) {
        self.context_menu = None;
        self.picker_for = None;
    }

    /// Sets the article text size (clamped to the supported range).
    pub fn set_font_size(&mut self, size: f32) {
        self.font_size = size.clamp(FONT_SIZE_RANGE.start, FONT_SIZE_RANGE.end);
        if let Some(text) = &mut self.text {
            text.font_size = self.font_size;
        }
    }

    /// The entity flashing now, if any.
    pub fn flashing(&self, now: Instant) -> Option<u64> {
        self.flash.filter(|(_, until)| *until > now).map(|(id, _)| id)
    }

    /// Carries out a view command; one that asks for an edit comes back as that edit, resolved
    /// against the selection and the layout.
    pub fn resolve(&mut self, command: ViewCommand, open: Option<&OpenArticle>, engine: &mut LayoutEngine) -> Option<EditCommand> {
        match command {
            ViewCommand::ZoomIn => self.set_font_size(self.font_size + 2.0),
            ViewCommand::ZoomOut => self.set_font_size(self.font_size - 2.0),
            ViewCommand::ZoomReset => self.set_font_size(DEFAULT_FONT_SIZE),
            ViewCommand::ToggleFind => {
                self.find = match self.find.take() {
                    Some(_) => None,
                    None => Some(FindBar::focused()),
                }
            }
            ViewCommand::Label(label) => {
                return Some(match self.selection() {
                    Some(range) => EditCommand::LabelRange(range, label),
                    None => EditCommand::RelabelFocused(label),
                });
            }
            ViewCommand::MoveEdge { edge, toward, step } => {
                let span = open?.focused_span()?;
                let text = self.text.as_mut()?;
                // Which logical end is on which side depends on the direction the entity is laid
                // out in; the layout is made if the paragraph was never painted.
                let rtl = text.doc.direction_at(engine, span.start);
                let end = if (edge == Side::Right) == rtl { SpanEnd::Start } else { SpanEnd::End };
                let forward = (toward == Side::Left) == rtl;
                return Some(EditCommand::MoveEdge { end, forward, step });
            }
        }
        None
    }
}
