//! Undo and redo of annotation edits, across articles.

use crate::model::SpanEdit;

/// One recorded edit: which article it changed and the edit itself.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryEntry {
    /// Index of the article in the session's list.
    pub article: usize,
    /// The edit as applied.
    pub edit: SpanEdit,
    /// The entity to focus after redoing it.
    pub focus: Option<u64>,
}

/// Undo and redo stacks. A new edit clears the redo stack.
#[derive(Default, Debug)]
pub struct History {
    undo: Vec<HistoryEntry>,
    redo: Vec<HistoryEntry>,
}

/// Edits kept for undo; older ones are forgotten.
const MAX_ENTRIES: usize = 10_000;

impl History {
    /// Records an edit that was just applied.
    pub fn record(&mut self, entry: HistoryEntry) {
        if entry.edit.is_noop() {
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

    /// Whether there is anything to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is anything to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (another project was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
