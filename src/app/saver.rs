//! Saving annotation files off the UI thread, without losing another writer's changes.
//!
//! The session hands over its annotation file (shared; the worker takes its own copy, so the UI
//! thread never copies a big file) with the version it started from (the file as last read or
//! written, and that file's fingerprint); a worker thread writes it through
//! `store::save_annotation_merging`, which writes the snapshot when the disk still holds that
//! version, and otherwise re-applies the session's edits (snapshot minus its starting version) to
//! what is on disk now, as git rebases a commit. Requests for the same path coalesce: only the
//! newest snapshot is written.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

use crate::model::AnnotationFile;
use crate::store::{Fingerprint, MergedSave, save_annotation_merging};

/// One file to write.
#[derive(Clone, Debug)]
pub struct SaveRequest {
    /// The file.
    pub path: PathBuf,
    /// What the session has now: its own annotation, shared until the write takes a copy.
    pub snapshot: Arc<AnnotationFile>,
    /// The version the session's edits start from: the file as last read or written.
    pub synced: Arc<AnnotationFile>,
    /// The fingerprint of that version on disk (`None`: there was no file).
    pub base: Option<Fingerprint>,
}

impl SaveRequest {
    /// Writes the snapshot, reporting it back as a copy of its own: the session's annotation is
    /// then unshared again, so its next edit copies nothing, and copying a megabyte's spans (a
    /// few milliseconds) happens here, on the saver's thread.
    fn write(mut self) -> SaveReport {
        self.snapshot = Arc::new(Arc::unwrap_or_clone(self.snapshot));
        let own = self.snapshot.edits_since(&self.synced);
        let outcome = save_annotation_merging(&self.path, self.base.as_ref(), &own, &self.snapshot).map_err(|e| e.to_string());
        SaveReport { request: self, outcome }
    }
}

/// What became of one save.
#[derive(Debug)]
pub struct SaveReport {
    /// What was asked.
    pub request: SaveRequest,
    /// Written (perhaps merged with another writer's changes), or why not.
    pub outcome: Result<MergedSave, String>,
}

#[derive(Default)]
struct Queue {
    pending: HashMap<PathBuf, SaveRequest>,
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

    /// Queues a request; a newer request for the same path replaces an unwritten one.
    pub fn save(&mut self, request: SaveRequest) {
        if self.worker.is_none() {
            // No thread could be started: write here rather than lose the edit, and report it as
            // the worker would.
            self.direct.push(request.write());
            return;
        }
        let (lock, wake) = &*self.queue;
        let mut queue = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let path = request.path.clone();
        if queue.pending.insert(path.clone(), request).is_none() {
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
        let request = {
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
            let Some(request) = q.pending.remove(&path) else { continue };
            q.busy = true;
            request
        };
        let _ = reports.send(request.write());
    }
}
