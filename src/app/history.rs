//! Undo and redo of user actions. One action is one entry, even when it changed several articles
//! (labelling a name across the project), so one Ctrl+Z takes all of it back.

use crate::model::SpanEdit;

/// One article's part of an action.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleEdit {
    /// Index of the article in the session's list.
    pub article: usize,
    /// The edit as applied.
    pub edit: SpanEdit,
}

/// One recorded action: the edits it made, article by article, in the order they were applied.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// The edits, in the order applied (undo takes them back in reverse).
    pub changes: Vec<ArticleEdit>,
    /// The entity to focus after redoing it.
    pub focus: Option<u64>,
}

impl HistoryEntry {
    /// An action that changed one article.
    pub fn single(article: usize, edit: SpanEdit, focus: Option<u64>) -> Self {
        HistoryEntry { changes: vec![ArticleEdit { article, edit }], focus }
    }

    /// Whether applying it would change nothing.
    pub fn is_noop(&self) -> bool {
        self.changes.iter().all(|c| c.edit.is_noop())
    }
}

/// Undo and redo stacks. A new action clears the redo stack.
#[derive(Default, Debug)]
pub struct History {
    undo: Vec<HistoryEntry>,
    redo: Vec<HistoryEntry>,
}

/// Actions kept for undo; older ones are forgotten.
const MAX_ENTRIES: usize = 10_000;

impl History {
    /// Records an action that was just carried out.
    pub fn record(&mut self, entry: HistoryEntry) {
        if entry.is_noop() {
            return;
        }
        self.redo.clear();
        self.undo.push(entry);
        if self.undo.len() > MAX_ENTRIES {
            self.undo.remove(0);
        }
    }

    /// The entry to undo; the caller applies its inverse and hands it back with `undone`.
    pub fn pop_undo(&mut self) -> Option<HistoryEntry> {
        self.undo.pop()
    }

    /// The entry to redo; the caller applies it and hands it back with `redone`.
    pub fn pop_redo(&mut self) -> Option<HistoryEntry> {
        self.redo.pop()
    }

    /// Files an undone entry for redo.
    pub fn undone(&mut self, entry: HistoryEntry) {
        self.redo.push(entry);
    }

    /// Files a redone entry for undo again.
    pub fn redone(&mut self, entry: HistoryEntry) {
        self.undo.push(entry);
    }

    /// Forgets every step that changed article `index` (its span ids no longer fit, after a
    /// merge with another writer's changes renumbered some).
    pub fn forget_article(&mut self, index: usize) {
        for stack in [&mut self.undo, &mut self.redo] {
            stack.retain(|entry| entry.changes.iter().all(|c| c.article != index));
        }
    }

    /// Whether there is anything to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is anything to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}
