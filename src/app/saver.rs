//! Saving annotation files off the UI thread.
//!
//! The session hands over a snapshot of an annotation file; a worker thread writes it atomically
//! (store::save_annotation) and reports back. Requests for the same path coalesce: only the newest
//! snapshot is written.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use crate::model::AnnotationFile;
use crate::store::{WriteOutcome, save_annotation};

/// What became of one save.
#[derive(Debug)]
pub struct SaveReport {
    /// The file.
    pub path: PathBuf,
    /// Written, unchanged, or why not.
    pub outcome: Result<WriteOutcome, String>,
}

#[derive(Default)]
struct Queue {
    pending: HashMap<PathBuf, AnnotationFile>,
    order: Vec<PathBuf>,
    busy: bool,
    closing: bool,
}

/// A background writer of annotation files.
pub struct Saver {
    queue: Arc<(Mutex<Queue>, Condvar)>,
    reports: Receiver<SaveReport>,
    /// Reports of saves written here because no worker thread could be started.
    direct: Vec<SaveReport>,
    worker: Option<JoinHandle<()>>,
}

impl Default for Saver {
    fn default() -> Self {
        Self::new()
    }
}

impl Saver {
    /// Starts the worker thread.
    pub fn new() -> Self {
        let queue: Arc<(Mutex<Queue>, Condvar)> = Arc::default();
        let (sender, reports) = channel();
        let worker_queue = queue.clone();
        let worker = std::thread::Builder::new().name("tawsim-saver".to_owned()).spawn(move || run(&worker_queue, &sender)).ok();
        Self { queue, reports, direct: Vec::new(), worker }
    }

    /// Queues a snapshot for writing; a newer snapshot of the same path replaces an unwritten one.
    pub fn save(&mut self, path: PathBuf, file: AnnotationFile) {
        if self.worker.is_none() {
            // No thread could be started: write here rather than lose the edit, and report it as
            // the worker would.
            let outcome = save_annotation(&path, &file).map_err(|e| e.to_string());
            self.direct.push(SaveReport { path, outcome });
            return;
        }
        let (lock, wake) = &*self.queue;
        let mut queue = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if queue.pending.insert(path.clone(), file).is_none() {
            queue.order.push(path);
        }
        wake.notify_all();
    }

    /// Reports of finished saves since the last call.
    pub fn finished(&mut self) -> Vec<SaveReport> {
        let mut reports = std::mem::take(&mut self.direct);
        reports.extend(self.reports.try_iter());
        reports
    }

    /// Whether anything is queued or being written.
    pub fn is_busy(&self) -> bool {
        let (lock, _) = &*self.queue;
        let queue = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        queue.busy || !queue.order.is_empty()
    }

    /// Waits until everything queued so far is on disk.
    pub fn flush(&self) {
        let (lock, wake) = &*self.queue;
        let mut queue = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while (queue.busy || !queue.order.is_empty()) && self.worker.is_some() {
            queue = wake.wait(queue).unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

impl Drop for Saver {
    fn drop(&mut self) {
        self.flush();
        {
            let (lock, wake) = &*self.queue;
            let mut queue = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            queue.closing = true;
            wake.notify_all();
        }
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

fn run(queue: &(Mutex<Queue>, Condvar), reports: &Sender<SaveReport>) {
    let (lock, wake) = queue;
    loop {
        let (path, file) = {
            let mut q = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            q.busy = false;
            wake.notify_all();
            while q.order.is_empty() && !q.closing {
                q = wake.wait(q).unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            if q.order.is_empty() {
                return;
            }
            let path = q.order.remove(0);
            let Some(file) = q.pending.remove(&path) else { continue };
            q.busy = true;
            (path, file)
        };
        let outcome = save_annotation(&path, &file).map_err(|e| e.to_string());
        let _ = reports.send(SaveReport { path, outcome });
    }
}
