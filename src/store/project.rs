//! A project folder: its config and the articles of its corpus.

use std::io;
use std::path::{Path, PathBuf};

use super::atomic::replace;
use super::config::{CONFIG_FILE_NAME, ConfigError, ProjectConfig};
use super::leftovers::remove_leftover_temp_files;
use super::links::{LinkError, canonical_bases, check_read, check_write};
use super::names::{NameError, annotation_rel_path, validate_annotator};
use crate::model::Schema;

/// One article of the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    /// Path relative to the corpus folder, with forward slashes; names its annotation files.
    pub rel: String,
    /// Path relative to the project root, with forward slashes; what annotation files store.
    pub document: String,
    /// Full path of the file.
    pub path: PathBuf,
}

/// An opened project folder.
#[derive(Clone, Debug)]
pub struct Project {
    /// The project folder.
    pub root: PathBuf,
    /// Its `tawsim.ron`.
    pub config: ProjectConfig,
    /// Articles under the corpus folder, sorted by `rel`.
    pub articles: Vec<Article>,
    /// Files under the corpus folder skipped because their names are not UTF-8.
    pub skipped: Vec<PathBuf>,
    /// Articles that are symbolic links out of the project, left out: (link, where it leads).
    pub outside_links: Vec<(PathBuf, PathBuf)>,
    /// Temporary files of cut-short writes removed when the project was opened.
    pub removed_leftovers: Vec<PathBuf>,
}

/// Why a project could not be opened or made.
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    /// `tawsim.ron` is missing or broken.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `init` on a folder that already is a project.
    #[error("{}: already exists; this folder is a tawsim project already", path.display())]
    AlreadyAProject {
        /// The existing config file.
        path: PathBuf,
    },
    /// `init` on a folder without any `.txt` file.
    #[error("{}: no .txt articles found in this folder or below it", dir.display())]
    NoArticles {
        /// The folder searched.
        dir: PathBuf,
    },
    /// The corpus folder named in the config does not exist.
    #[error("{}: corpus folder not found (set `corpus` in {CONFIG_FILE_NAME})", path.display())]
    CorpusMissing {
        /// Where it should be.
        path: PathBuf,
    },
    /// Listing a folder failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The folder or file.
        path: PathBuf,
        /// What the system said.
        source: io::Error,
    },
}

impl Project {
    /// Opens the project at `root` and lists its articles.
    ///
    /// Temporary files that killed writes left in the project (see
    /// [`remove_leftover_temp_files`]) are removed first and listed in `removed_leftovers`.
    pub fn open(root: &Path) -> Result<Project, ProjectError> {
        let config = ProjectConfig::load(&root.join(CONFIG_FILE_NAME))?;
        let mut project = Project::in_memory(root, config);
        let mut removed = remove_leftover_temp_files(root, false);
        for folder in [project.annotations_dir(), project.corpus_dir()] {
            if folder != root {
                removed.extend(remove_leftover_temp_files(&folder, true));
            }
        }
        project.removed_leftovers = removed;
        project.rescan()?;
        Ok(project)
    }

    /// A project with `config` at `root` that is not on disk (yet), with no articles.
    pub fn in_memory(root: &Path, config: ProjectConfig) -> Project {
        Project { root: root.to_owned(), config, articles: Vec::new(), skipped: Vec::new(), outside_links: Vec::new(), removed_leftovers: Vec::new() }
    }

    /// Turns a folder of `.txt` files into a project with the ANERcorp schema; the corpus is the
    /// deepest folder holding all of them. Refuses if `tawsim.ron` already exists.
    pub fn init(dir: &Path) -> Result<Project, ProjectError> {
        let config_path = dir.join(CONFIG_FILE_NAME);
        if config_path.exists() {
            return Err(ProjectError::AlreadyAProject { path: config_path });
        }
        let mut found = Vec::new();
        let mut skipped = Vec::new();
        list_txt(dir, dir, None, &mut found, &mut skipped)?;
        let corpus = common_folder(&found).ok_or_else(|| ProjectError::NoArticles { dir: dir.to_owned() })?;
        let name = std::fs::canonicalize(dir).ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned())).unwrap_or_default();
        let config = ProjectConfig { name, corpus, schema: Schema::anercorp(), ..ProjectConfig::default() };
        // `save` would also refuse to clobber, but only a broken file; init must not touch any.
        let text = config.to_text().map_err(|e| ConfigError::Serialize { path: config_path.clone(), message: e.to_string() })?;
        replace(&config_path, text.as_bytes()).map_err(|source| ConfigError::Io { path: config_path.clone(), source })?;
        Project::open(dir)
    }

    /// Lists the corpus again, e.g. after articles were added.
    pub fn rescan(&mut self) -> Result<(), ProjectError> {
        let corpus = self.corpus_dir();
        if !corpus.is_dir() {
            return Err(ProjectError::CorpusMissing { path: corpus });
        }
        let annotations = self.annotations_dir();
        let mut found = Vec::new();
        self.skipped.clear();
        list_txt(&corpus, &corpus, Some(&annotations), &mut found, &mut self.skipped)?;
        // Linked articles are read only when the link stays inside the project.
        let bases = self.read_bases();
        self.outside_links.clear();
        found.retain(|rel| {
            let path = corpus.join(rel);
            match super::links::is_link(&path).then(|| check_read(&path, &bases)) {
                Some(Err(LinkError::LeavesProject { link, target })) => {
                    self.outside_links.push((link, target));
                    false
                }
                Some(Err(_)) => false,
                _ => true,
            }
        });
        found.sort();
        let prefix = match self.config.corpus.trim_end_matches('/') {
            "" | "." => String::new(),
            folder => format!("{}/", folder.replace('\\', "/")),
        };
        self.articles = found.into_iter().map(|rel| Article { document: format!("{prefix}{rel}"), path: corpus.join(&rel), rel }).collect();
        Ok(())
    }

    /// The corpus folder.
    pub fn corpus_dir(&self) -> PathBuf {
        match self.config.corpus.as_str() {
            "" | "." | "./" => self.root.clone(),
            corpus => self.root.join(corpus),
        }
    }

    /// The folder holding one subfolder per annotator.
    pub fn annotations_dir(&self) -> PathBuf {
        self.root.join(&self.config.annotations)
    }

    /// The article whose corpus-relative path is `rel`.
    pub fn article(&self, rel: &str) -> Option<&Article> {
        self.articles.binary_search_by(|a| a.rel.as_str().cmp(rel)).ok().map(|i| &self.articles[i])
    }

    /// Where `annotator`'s annotation of the corpus-relative `rel` lives.
    pub fn annotation_path(&self, annotator: &str, rel: &str) -> Result<PathBuf, NameError> {
        Ok(self.annotations_dir().join(annotation_rel_path(annotator, rel)?))
    }

    /// Annotators with a folder under `annotations`, sorted; names that are not valid are left out.
    pub fn annotators(&self) -> Result<Vec<String>, ProjectError> {
        let dir = self.annotations_dir();
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(ProjectError::Io { path: dir, source }),
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| validate_annotator(n).is_ok())
            .collect();
        names.sort();
        Ok(names)
    }

    /// The folders links may lead into when reading (the project, and its corpus and annotation
    /// folders wherever `tawsim.ron` puts them), canonical.
    fn read_bases(&self) -> Vec<PathBuf> {
        canonical_bases(&[&self.root, &self.corpus_dir(), &self.annotations_dir()])
    }

    /// Checks `path` (a file of this project) for reading under the link policy: followed
    /// through every link, it must stay inside the project or its corpus or annotation folders.
    pub fn check_readable(&self, path: &Path) -> Result<(), LinkError> {
        check_read(path, &self.read_bases())
    }

    /// Checks `path` (a file of this project) for writing under the link policy: neither it nor
    /// a folder between the project root and it may be a symbolic link.
    pub fn check_writable(&self, path: &Path) -> Result<(), LinkError> {
        check_write(&self.root, path)
    }

    /// Whether `annotator` has an annotation file for `rel` (for progress lists; not read).
    pub fn has_annotation(&self, annotator: &str, rel: &str) -> bool {
        self.annotation_path(annotator, rel).is_ok_and(|p| p.is_file())
    }

    /// `path` relative to the project root with forward slashes, for messages.
    pub fn display_path(&self, path: &Path) -> String {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        shown.to_string_lossy().replace('\\', "/")
    }
}

/// Adds the `base`-relative paths of `*.txt` files at any depth under `dir` to `found`.
///
/// Hidden entries, symlinked folders (which could loop) and the `skip` folder are not entered.
fn list_txt(base: &Path, dir: &Path, skip: Option<&Path>, found: &mut Vec<String>, skipped: &mut Vec<PathBuf>) -> Result<(), ProjectError> {
    let io_error = |source| ProjectError::Io { path: dir.to_owned(), source };
    for entry in std::fs::read_dir(dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let path = entry.path();
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            skipped.push(path);
            continue;
        };
        if name.starts_with('.') || skip.is_some_and(|s| s == path) {
            continue;
        }
        let kind = entry.file_type().map_err(io_error)?;
        if kind.is_dir() {
            list_txt(base, &path, skip, found, skipped)?;
        } else if name.rsplit_once('.').is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("txt")) && path.is_file() {
            match path.strip_prefix(base).ok().and_then(Path::to_str) {
                Some(rel) => found.push(rel.replace('\\', "/")),
                None => skipped.push(path),
            }
        }
    }
    Ok(())
}

/// The deepest folder (forward slashes, `"."` for the top) holding every path of `files`.
fn common_folder(files: &[String]) -> Option<String> {
    let folders: Vec<Vec<&str>> = files
        .iter()
        .map(|f| {
            let mut parts: Vec<&str> = f.split('/').collect();
            parts.pop();
            parts
        })
        .collect();
    let first = folders.first()?;
    let depth = (0..first.len()).take_while(|&i| folders.iter().all(|f| f.get(i) == first.get(i))).count();
    Some(if depth == 0 { ".".to_owned() } else { first[..depth].join("/") })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn common_folder_cases() {
        assert_eq!(common_folder(&[]), None);
        assert_eq!(common_folder(&strings(&["a.txt", "corpus/b.txt"])).as_deref(), Some("."));
        assert_eq!(common_folder(&strings(&["corpus/a.txt", "corpus/x/b.txt"])).as_deref(), Some("corpus"));
        assert_eq!(common_folder(&strings(&["data/ar/a.txt"])).as_deref(), Some("data/ar"));
        assert_eq!(common_folder(&strings(&["a/x.txt", "b/y.txt"])).as_deref(), Some("."));
    }
}
