//! Work the window hands to a thread of its own (an export, an import, agreement over a corpus),
//! so no frame waits for it; the window polls for the outcome and is repainted when it is there.

use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// Work running off the UI thread, and its outcome once it arrives.
pub struct Job<T> {
    receiver: Receiver<T>,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a thread named `name` and has `ctx` repaint when it is done. Where no
    /// thread can be had, the work runs here and now rather than never.
    pub fn start(name: &str, ctx: &egui::Context, work: impl FnOnce() -> T + Send + 'static) -> Self {
        let (sender, receiver) = channel();
        // The work reaches the thread through a channel of its own, so that it is still ours to
        // run when the thread cannot be started.
        let (work_sender, work_receiver) = channel::<Box<dyn FnOnce() -> T + Send>>();
        let (outcome, repaint) = (sender.clone(), ctx.clone());
        let spawned = std::thread::Builder::new().name(name.to_owned()).spawn(move || {
            if let Ok(work) = work_receiver.recv() {
                // The window may have dropped the job meanwhile; then nobody wants the outcome.
                let _ = outcome.send(work());
                repaint.request_repaint();
            }
        });
        match spawned {
            Ok(_) => {
                let _ = work_sender.send(Box::new(work));
            }
            Err(_) => {
                let _ = sender.send(work());
            }
        }
        Job { receiver }
    }

    /// The outcome, once the work is done; a thread that died says so instead.
    pub fn poll(&self) -> Option<Result<T, String>> {
        match self.receiver.try_recv() {
            Ok(outcome) => Some(Ok(outcome)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err("the worker stopped unexpectedly".to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_arrives_once_and_a_dead_worker_is_told() {
        let ctx = egui::Context::default();
        let job = Job::start("test-job", &ctx, || 6 * 7);
        let started = std::time::Instant::now();
        let outcome = loop {
            if let Some(outcome) = job.poll() {
                break outcome;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(5), "no outcome");
            std::thread::yield_now();
        };
        assert_eq!(outcome, Ok(42));
        let died: Job<u32> = Job::start("test-panic", &ctx, || panic!("worker panics"));
        let started = std::time::Instant::now();
        while died.poll().is_none() {
            assert!(started.elapsed() < std::time::Duration::from_secs(5), "no word of the dead worker");
        }
    }
}
