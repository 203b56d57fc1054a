//! Helpers shared by integration tests.
#![allow(dead_code)]

pub mod app;
pub mod gold_project;

use egui_kittest::wgpu::WgpuTestRenderer;

use std::path::{Path, PathBuf};

/// A temporary copy of the bundled sample project (articles and config; no annotations), removed
/// when dropped.
pub struct SampleProject {
    /// The project folder.
    pub root: PathBuf,
}

impl SampleProject {
    /// Copies the sample articles into a fresh folder with its own tawsim.ron, without proposers
    /// (so a test sees exactly the spans it makes).
    pub fn new(name: &str) -> Self {
        Self::with_config(name, "(name: \"test\", proposers: (builtin_rules: false, memory: false))\n")
    }

    /// Like [`Self::new`], with the sample project's proposers (its gazetteer, the built-in rules
    /// and memory).
    pub fn with_proposers(name: &str) -> Self {
        let project = Self::with_config(name, "(name: \"test\", proposers: (gazetteers: [\"anercorp.ron\"]))\n");
        let list = tawsim::sample_project_dir().join("gazetteers").join("anercorp.ron");
        std::fs::copy(list, project.root.join("anercorp.ron")).expect("copy the gazetteer");
        project
    }

    /// A copy of the sample articles with the given tawsim.ron.
    pub fn with_config(name: &str, config: &str) -> Self {
        let root = std::env::temp_dir().join(format!("tawsim-{name}-{}-{}", std::process::id(), unique()));
        let corpus = root.join("corpus");
        std::fs::create_dir_all(&corpus).expect("temp project");
        for entry in std::fs::read_dir(tawsim::sample_corpus_dir()).expect("sample corpus").flatten() {
            std::fs::copy(entry.path(), corpus.join(entry.file_name())).expect("copy article");
        }
        std::fs::write(root.join("tawsim.ron"), config).expect("config");
        Self { root }
    }

    /// The annotation file of an article by an annotator.
    pub fn annotation(&self, annotator: &str, rel: &str) -> PathBuf {
        self.root.join("annotations").join(annotator).join(format!("{rel}.ron"))
    }

    /// An article's text.
    pub fn text(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join("corpus").join(rel)).expect("article")
    }
}

impl Drop for SampleProject {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.root);
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Character offset of the first occurrence of `needle` in `text`.
pub fn char_offset(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the text"));
    text[..byte].chars().count()
}

/// Waits (up to ten seconds, for a loaded machine) until `check` holds for the file at `path`.
pub fn wait_for_file(path: &Path, check: impl Fn(&str) -> bool) -> String {
    let started = std::time::Instant::now();
    loop {
        if let Ok(text) = std::fs::read_to_string(path)
            && check(&text)
        {
            return text;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{} never reached the expected state", path.display());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// A GPU renderer for image snapshots, or `None` where this machine has no Vulkan/GL adapter. CI
/// installs lavapipe, so there a missing adapter is a failure, not a skip.
pub fn gpu_renderer() -> Option<WgpuTestRenderer> {
    let lavapipe = "/usr/share/vulkan/icd.d/lvp_icd.x86_64.json";
    if std::env::var_os("VK_ICD_FILENAMES").is_none() && std::path::Path::new(lavapipe).exists() {
        // SAFETY: set before any thread of this test binary touches the environment or wgpu.
        unsafe { std::env::set_var("VK_ICD_FILENAMES", lavapipe) };
    }
    match std::panic::catch_unwind(WgpuTestRenderer::new) {
        Ok(renderer) => Some(renderer),
        Err(_) if std::env::var_os("CI").is_none() => {
            eprintln!("no wgpu adapter here: snapshot not checked (install mesa-vulkan-drivers)");
            None
        }
        Err(_) => panic!("CI must have a wgpu adapter (lavapipe from mesa-vulkan-drivers)"),
    }
}

/// `sentences` generated news sentences in `token LABEL` CoNLL (IOB2), deterministic in `seed`:
/// a few templates filled with people, places and organizations, enough for the learned
/// proposer to learn from in a test.
pub fn synthetic_conll(sentences: usize, seed: u64) -> String {
    const PEOPLE: [&str; 8] = ["جون كيري", "سيرغي لافروف", "بشار الأسد", "بان كي مون", "حسن روحاني", "ستيفان دي ميستورا", "رجب طيب أردوغان", "فلاديمير بوتين"];
    const PLACES: [&str; 8] = ["موسكو", "دمشق", "القاهرة", "لندن", "باريس", "حلب", "طهران", "جنيف"];
    const ORGS: [&str; 4] = ["مجلس الأمن", "الأمم المتحدة", "حلف الناتو", "الجامعة العربية"];
    const TEMPLATES: [&str; 5] = [
        "التقى {P} مع {P} في {L} أمس .",
        "قال {P} إن {O} ستجتمع في {L} غدا .",
        "وصل {P} إلى {L} قادما من {L} .",
        "دعت {O} إلى وقف القتال في {L} .",
        "أعلن المتحدث باسم {O} أن {P} سيزور {L} .",
    ];
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = |n: usize| {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    // Half the people are new: two words made of syllables, which no list or name rule can
    // know, so only the context tells that they are people.
    const SYLLABLES: [&str; 8] = ["كا", "رو", "لي", "مو", "سا", "تي", "نو", "فا"];
    let mut out = String::new();
    for _ in 0..sentences {
        for piece in TEMPLATES[next(TEMPLATES.len())].split(' ') {
            let invented;
            let (name, label) = match piece {
                "{P}" if next(2) == 0 => {
                    let mut word = || (0..3).map(|_| SYLLABLES[next(SYLLABLES.len())]).collect::<String>();
                    invented = format!("{} {}", word(), word());
                    (invented.as_str(), "PERS")
                }
                "{P}" => (PEOPLE[next(PEOPLE.len())], "PERS"),
                "{L}" => (PLACES[next(PLACES.len())], "LOC"),
                "{O}" => (ORGS[next(ORGS.len())], "ORG"),
                word => {
                    out.push_str(&format!("{word} O\n"));
                    continue;
                }
            };
            for (i, token) in name.split(' ').enumerate() {
                out.push_str(&format!("{token} {}-{label}\n", if i == 0 { "B" } else { "I" }));
            }
        }
        out.push('\n');
    }
    out
}
