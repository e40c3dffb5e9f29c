//! The file a program timed as a whole is read from by its child processes.

/// A program timed as a whole runs as `__main__` without a file of its own,
/// but `multiprocessing` children (spawn) re-run the main module from its
/// file to find the functions they are asked to call, as under CPython. So
/// natively the program's source (its setups first) is written to a file
/// that `__main__.__file__` names for as long as the program is timed.
pub(super) struct MainFile(pub(super) std::path::PathBuf);

impl MainFile {
    #[cfg(not(target_os = "wasi"))]
    pub(super) fn write(name: &str, parts: &[&str]) -> Option<MainFile> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNT: AtomicU64 = AtomicU64::new(0);
        let stem: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(40)
            .collect();
        let path = std::env::temp_dir().join(format!(
            "pyrace-{}-{}-{stem}.py",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let source = parts.iter().fold(String::new(), |mut s, part| {
            s.push_str(part);
            s.push('\n');
            s
        });
        // Without the file a program still runs; only its children cannot
        // find what it defines, and they say so.
        std::fs::write(&path, source).ok().map(|()| MainFile(path))
    }

    /// Processes start from files only natively.
    #[cfg(target_os = "wasi")]
    pub(super) fn write(_name: &str, _parts: &[&str]) -> Option<MainFile> {
        None
    }
}

impl Drop for MainFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
