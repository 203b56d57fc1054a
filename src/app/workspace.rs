//! What the window is working on: nothing yet, the annotator's own files, or the gold files in
//! review mode (with the annotator's session kept to come back to). Commands go to whichever
//! session is active through here, so no other code picks "the active session" by hand.

use std::time::Instant;

use super::commands::{EditCommand, ReviewCommand};
use super::keymap::Mode;
use super::review_mode::ReviewMode;
use super::session::{Session, ViewEvent};
use crate::store::Project;

/// The open project, in one mode.
#[derive(Default)]
pub enum Workspace {
    /// No project is open.
    #[default]
    Closed,
    /// Annotating the annotator's own files.
    Annotate(Box<Session>),
    /// Reviewing: deciding the gold files.
    Review {
        /// Review mode: the gold session and the review of its article.
        review: Box<ReviewMode>,
        /// The annotator's session, saved and waiting.
        annotating: Box<Session>,
    },
}

impl Workspace {
    /// The session commands go to: the gold session in review mode, else the annotator's.
    pub fn session(&self) -> Option<&Session> {
        match self {
            Workspace::Closed => None,
            Workspace::Annotate(session) => Some(session),
            Workspace::Review { review, .. } => Some(&review.session),
        }
    }

    /// The active session, mutably.
    pub fn session_mut(&mut self) -> Option<&mut Session> {
        match self {
            Workspace::Closed => None,
            Workspace::Annotate(session) => Some(session),
            Workspace::Review { review, .. } => Some(&mut review.session),
        }
    }

    /// The annotator's own session, in either mode.
    pub fn annotating(&self) -> Option<&Session> {
        match self {
            Workspace::Closed => None,
            Workspace::Annotate(session) => Some(session),
            Workspace::Review { annotating, .. } => Some(annotating),
        }
    }

    /// Review mode, while it is on.
    pub fn review(&self) -> Option<&ReviewMode> {
        match self {
            Workspace::Review { review, .. } => Some(review),
            _ => None,
        }
    }

    /// The open project.
    pub fn project(&self) -> Option<&Project> {
        self.session().map(|s| &s.project)
    }

    /// Which keys apply.
    pub fn mode(&self) -> Mode {
        match self {
            Workspace::Review { review, .. } => Mode::Review(review.state.annotators.clone()),
            _ => Mode::Annotate,
        }
    }

    /// Carries out an edit in the active session (review mode looks at focus changes first).
    pub fn apply_edit(&mut self, command: EditCommand) {
        match self {
            Workspace::Closed => {}
            Workspace::Annotate(session) => session.apply(command),
            Workspace::Review { review, .. } => review.apply_edit(command),
        }
    }

    /// Carries out a reviewer's command; outside review mode there is no group to decide.
    pub fn apply_review(&mut self, command: ReviewCommand) {
        if let Workspace::Review { review, .. } = self {
            review.apply_review(command);
        }
    }

    /// Enters review mode (or changes whom it compares) at article `rel`, or at the article the
    /// annotator is on, saving the annotator's work first.
    pub fn enter_review(&mut self, reviewer: &str, annotators: Vec<String>, rel: Option<&str>) -> Result<(), String> {
        match std::mem::take(self) {
            Workspace::Review { mut review, annotating } => {
                review.set_annotators(annotators);
                if let Some(rel) = rel {
                    review.open_rel(rel);
                }
                *self = Workspace::Review { review, annotating };
                Ok(())
            }
            Workspace::Annotate(mut session) => {
                session.save_now();
                let here = rel.map(str::to_owned).or_else(|| session.open.as_ref().map(|o| session.articles[o.index].rel.clone()));
                let root = session.project.root.clone();
                match ReviewMode::open(&root, reviewer, annotators, here.as_deref()) {
                    Ok(review) => {
                        *self = Workspace::Review { review: Box::new(review), annotating: session };
                        Ok(())
                    }
                    Err(error) => {
                        *self = Workspace::Annotate(session);
                        Err(error.to_string())
                    }
                }
            }
            Workspace::Closed => Err("open a project first: review compares its annotators".to_owned()),
        }
    }

    /// Back to annotating, with the gold file saved.
    pub fn leave_review(&mut self) {
        if let Workspace::Review { mut review, annotating } = std::mem::take(self) {
            review.session.save_now();
            *self = Workspace::Annotate(annotating);
        }
    }

    /// Writes everything now (quitting, switching projects) and waits.
    pub fn save_all(&mut self) {
        match self {
            Workspace::Closed => {}
            Workspace::Annotate(session) => session.save_now(),
            Workspace::Review { review, annotating } => {
                review.session.save_now();
                annotating.save_now();
            }
        }
    }

    /// Hands due saves to the saver and collects its reports, and takes in background results;
    /// whether something is still pending (the window keeps repainting until it is done).
    pub fn tick(&mut self, now: Instant) -> bool {
        let searching = match self {
            Workspace::Review { review, .. } => {
                review.poll();
                review.is_searching()
            }
            _ => false,
        };
        let busy = self.session_mut().is_some_and(|session| {
            session.poll_proposers();
            session.tick(now);
            session.save_pending() || session.proposers_loading()
        });
        searching || busy
    }

    /// What the view should do after the commands carried out since the last call.
    pub fn take_view_events(&mut self) -> Vec<ViewEvent> {
        self.session_mut().map(Session::take_view_events).unwrap_or_default()
    }
}
