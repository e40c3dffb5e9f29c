//! The lessons shipped with the app, parsed once from the embedded files.

use pyrace_model::lesson::{self, Lesson};

include!(concat!(env!("OUT_DIR"), "/lessons.rs"));

/// A lesson ready to pick: its file stem is its id.
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogEntry {
    pub id: String,
    pub lesson: Lesson,
}

/// Every lesson that parses, ordered by topic then title; a file with a
/// mistake is left out of the picker (the lesson tests name it).
pub fn catalog() -> Vec<CatalogEntry> {
    let mut entries: Vec<CatalogEntry> = LESSON_FILES
        .iter()
        .filter_map(|(file, text)| {
            let lesson = lesson::parse(file, text).ok()?;
            Some(CatalogEntry {
                id: file.trim_end_matches(".md").to_owned(),
                lesson,
            })
        })
        .collect();
    entries.sort_by(|a, b| {
        (a.lesson.topic.as_str(), a.lesson.title.as_str())
            .cmp(&(b.lesson.topic.as_str(), b.lesson.title.as_str()))
    });
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_lesson_is_in_the_catalog() {
        let catalog = catalog();
        assert_eq!(catalog.len(), LESSON_FILES.len());
        assert!(
            catalog
                .iter()
                .all(|entry| !entry.lesson.variants.is_empty())
        );
    }
}
