//! Writing the report folder atomically: everything goes into a hidden sibling folder, which is renamed
//! into place only when complete, so a reader never sees half a report and a failed run leaves the
//! previous report untouched.

use std::fs;
use std::path::{Path, PathBuf};

use crate::run::RunError;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> RunError + '_ {
    move |source| RunError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// True when `dir` is absent, empty, or a report folder from an earlier run (it has `provenance.json`).
fn replaceable(dir: &Path) -> Result<bool, RunError> {
    if !dir.exists() {
        return Ok(true);
    }
    if !dir.is_dir() {
        return Ok(false);
    }
    if dir.join("provenance.json").is_file() {
        return Ok(true);
    }
    Ok(fs::read_dir(dir).map_err(io(dir))?.next().is_none())
}

/// Writes a folder at `out` with `fill`, atomically; an existing report folder at `out` is replaced.
///
/// # Errors
/// [`RunError::OutputNotReport`] when `out` exists and is neither empty nor a report folder;
/// [`RunError::Io`] when a file or folder cannot be written or renamed; any error of `fill` (the
/// temporary folder is removed).
pub(crate) fn write_atomically(
    out: &Path,
    fill: impl FnOnce(&Path) -> Result<Vec<PathBuf>, RunError>,
) -> Result<Vec<PathBuf>, RunError> {
    if !replaceable(out)? {
        return Err(RunError::OutputNotReport {
            path: out.display().to_string(),
        });
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).map_err(io(&parent))?;
    let name = out
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    let pid = std::process::id();
    let tmp = parent.join(format!(".{name}.rwe-tmp-{pid}"));
    if tmp.exists() {
        fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    }
    fs::create_dir(&tmp).map_err(io(&tmp))?;
    let files = match fill(&tmp) {
        Ok(files) => files,
        Err(e) => {
            // Best effort: the error that stopped the run is the one to report.
            let _ = fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    if out.exists() {
        let old = parent.join(format!(".{name}.rwe-old-{pid}"));
        fs::rename(out, &old).map_err(io(out))?;
        if let Err(e) = fs::rename(&tmp, out) {
            // Put the previous report back before reporting.
            let _ = fs::rename(&old, out);
            let _ = fs::remove_dir_all(&tmp);
            return Err(io(out)(e));
        }
        fs::remove_dir_all(&old).map_err(io(&old))?;
    } else if let Err(e) = fs::rename(&tmp, out) {
        let _ = fs::remove_dir_all(&tmp);
        return Err(io(out)(e));
    }
    Ok(files
        .into_iter()
        .map(|f| out.join(f.strip_prefix(&tmp).unwrap_or(&f)))
        .collect())
}
