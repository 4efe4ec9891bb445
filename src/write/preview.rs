//! The pages `serve` shows before the whole site is written: a sink that
//! keeps the pages it is given in memory, each exactly as [`Staging`]
//! would write it (its policy added, the shared stylesheet and scripts
//! minified alike), and throws every other file away.
//!
//! [`Staging`]: super::Staging

use std::collections::HashMap;
use std::sync::Mutex;

use super::policy;
use super::shared::SharedAssets;
use crate::render::inline_code::InlineCode;
use crate::render::{Asset, Sink};

/// Pages by their path relative to the site's root.
pub type Pages = HashMap<String, Vec<u8>>;

#[derive(Default)]
pub struct Preview {
    shared: SharedAssets,
    pages: Mutex<Pages>,
}

impl Preview {
    pub fn into_pages(self) -> Pages {
        self.pages
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Sink for Preview {
    fn shared_asset(&self, kind: Asset, text: &str) -> String {
        self.shared.add(kind, text)
    }

    fn page(&self, path: &str, html: &[u8], code: Option<&InlineCode>) -> anyhow::Result<()> {
        let bytes = policy::finish(html, code, &self.shared);
        self.pages
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(path.to_string(), bytes);
        Ok(())
    }

    fn file(
        &self,
        _: &str,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> anyhow::Result<()> {
        Ok(produce(&mut std::io::sink())?)
    }
}
