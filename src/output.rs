//! Writing synthesized files: all or nothing, and comparing them with what is
//! on disk (`synth --check`).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// One generated file: its path relative to the output directory and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Artifact {
    /// Relative path, e.g. `todo.template.json` or `micro/orders.template.json`.
    pub path: PathBuf,
    /// The file's contents.
    pub contents: String,
}

impl Artifact {
    /// An artifact at `path` with `contents`.
    pub fn new(path: impl Into<PathBuf>, contents: String) -> Self {
        Artifact {
            path: path.into(),
            contents,
        }
    }
}

/// Writing the output failed; nothing was left half-written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct WriteError {
    /// The file or directory that could not be written.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

/// Writes every artifact under `dir`.
///
/// Each file is first written in full to a temporary file beside it; only
/// when all of them are written are they renamed into place. A failure
/// removes the temporary files, so no file is ever left half-written and, if
/// any write fails, none of the targets changes.
pub fn write_all(dir: &Path, artifacts: &[Artifact]) -> Result<(), WriteError> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::with_capacity(artifacts.len());
    let result = stage(dir, artifacts, &mut staged);
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (tmp, target) in &staged {
        fs::rename(tmp, target).map_err(|source| WriteError {
            path: target.clone(),
            source,
        })?;
    }
    Ok(())
}

fn stage(
    dir: &Path,
    artifacts: &[Artifact],
    staged: &mut Vec<(PathBuf, PathBuf)>,
) -> Result<(), WriteError> {
    for artifact in artifacts {
        let target = dir.join(&artifact.path);
        let parent = target.parent().unwrap_or(dir);
        fs::create_dir_all(parent).map_err(|source| WriteError {
            path: parent.to_path_buf(),
            source,
        })?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = parent.join(format!(".{name}.{}.tmp", std::process::id()));
        let io = |source| WriteError {
            path: tmp.clone(),
            source,
        };
        let mut file = fs::File::create(&tmp).map_err(io)?;
        staged.push((tmp.clone(), target));
        file.write_all(artifact.contents.as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
    }
    Ok(())
}

/// A generated file that differs from the one on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The path on disk.
    pub path: PathBuf,
    /// A unified diff from the file on disk to the fresh output (the whole
    /// new file when the file is missing).
    pub diff: String,
}

/// Compares the artifacts with the files under `dir`.
pub fn drift(dir: &Path, artifacts: &[Artifact]) -> Vec<Drift> {
    artifacts
        .iter()
        .filter_map(|artifact| {
            let path = dir.join(&artifact.path);
            let on_disk = fs::read_to_string(&path).ok();
            if on_disk.as_deref() == Some(artifact.contents.as_str()) {
                return None;
            }
            let old = on_disk.unwrap_or_default();
            let label = path.display().to_string();
            let diff = similar::TextDiff::from_lines(&old, &artifact.contents)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{label} (on disk)"),
                    &format!("{label} (synthesized)"),
                )
                .to_string();
            Some(Drift { path, diff })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_nested_files_and_reports_no_drift_after() {
        let dir = tempfile::tempdir().unwrap();
        let arts = vec![
            Artifact::new("a.json", "{}\n".into()),
            Artifact::new("sub/b.json", "[]\n".into()),
        ];
        assert_eq!(drift(dir.path(), &arts).len(), 2);
        write_all(dir.path(), &arts).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("sub/b.json")).unwrap(),
            "[]\n"
        );
        assert!(drift(dir.path(), &arts).is_empty());
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn drift_is_a_unified_diff() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.json"), "one\ntwo\n").unwrap();
        let d = drift(
            dir.path(),
            &[Artifact::new("a.json", "one\nthree\n".into())],
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].diff.contains("-two\n+three\n"), "{}", d[0].diff);
        assert!(d[0].diff.contains("(on disk)"));
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // A file where a directory must go makes the second artifact fail.
        fs::write(dir.path().join("blocker"), "x").unwrap();
        let arts = vec![
            Artifact::new("a.json", "{}\n".into()),
            Artifact::new("blocker/b.json", "[]\n".into()),
        ];
        assert!(write_all(dir.path(), &arts).is_err());
        let names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, vec!["blocker".to_string()]);
    }
}
