//! How long a browser may keep what the dev server sends: a file whose name
//! carries a content hash (`pyrace.<hash>.wasm`, the app's `pyrace-app-<hash>.js`)
//! never changes under that name, so it is cached for good; everything else
//! (pages, `engine.json`, the unhashed scripts) is revalidated on every use,
//! which `ServeDir` answers with `304 Not Modified` when the `ETag` matches.
//! `docs/hosting.md` asks static hosts for the same two rules.

use axum::http::{HeaderValue, Request, header};
use axum::middleware::Next;
use axum::response::Response;

/// `Cache-Control` of a file whose name carries its content hash.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of every other file: keep it, but ask before each use.
pub const REVALIDATE: &str = "no-cache";
/// Fewest hex digits a name's hash has (the build writes 16).
const MIN_HASH_DIGITS: usize = 16;

/// Whether the last segment of a URL path names a file by its content hash:
/// a run of at least 16 hex digits after `.` or `-`, followed by `.` or `_`.
pub fn is_versioned(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    let bytes = name.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'.' || bytes[i] == b'-' {
            let run = bytes[i + 1..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            let after = bytes.get(i + 1 + run);
            if run >= MIN_HASH_DIGITS && matches!(after, Some(b'.' | b'_')) {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// Sets `Cache-Control` on every response by the rule above.
pub async fn set_cache_control(request: Request<axum::body::Body>, next: Next) -> Response {
    let versioned = is_versioned(request.uri().path());
    let mut response = next.run(request).await;
    let value = if versioned && response.status().is_success() {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}

#[cfg(test)]
mod tests {
    use super::is_versioned;

    #[test]
    fn names_with_a_content_hash_are_versioned() {
        assert!(is_versioned("/pyrace.0123456789abcdef.wasm"));
        assert!(is_versioned("/app/pyrace-app-8f3e2a1b4c5d6e7f_bg.wasm"));
        assert!(is_versioned("/app/pyrace-app-8f3e2a1b4c5d6e7f.js"));
        assert!(is_versioned("/app/app-8f3e2a1b4c5d6e7f.css"));
    }

    #[test]
    fn other_names_revalidate() {
        assert!(!is_versioned("/engine.json"));
        assert!(!is_versioned("/app/"));
        assert!(!is_versioned("/app/glue.js"));
        assert!(!is_versioned("/pyrace.wasm"));
        // Too short to be a build's hash, or not followed by an extension.
        assert!(!is_versioned("/pyrace.0123abcd.wasm"));
        assert!(!is_versioned("/x.0123456789abcdef"));
        // A hash in a directory name does not version the file in it.
        assert!(!is_versioned("/v.0123456789abcdef.d/engine.json"));
    }
}
