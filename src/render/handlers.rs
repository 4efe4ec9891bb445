//! lol_html handlers on selectors parsed once for the build. lol_html's
//! `element!` parses its selector each time a rewriter is made, and a
//! rewriter is made for every page: tens of thousands of parses of the
//! same few selectors in a large dossier.

use std::borrow::Cow;

use lol_html::html_content::{Element, TextChunk};
use lol_html::{ElementContentHandlers, HandlerResult, Selector};

/// A selector written in this program: valid, so parsing cannot fail.
pub(crate) fn selector(css: &str) -> Selector {
    css.parse().expect("a valid selector")
}

/// A handler for the elements `selector` matches.
pub(crate) fn on<'s, 'h>(
    selector: &'s Selector,
    handler: impl FnMut(&mut Element<'_, '_>) -> HandlerResult + 'h,
) -> (Cow<'s, Selector>, ElementContentHandlers<'h>) {
    (
        Cow::Borrowed(selector),
        ElementContentHandlers::default().element(handler),
    )
}

/// A handler for the text inside the elements `selector` matches.
pub(crate) fn on_text<'s, 'h>(
    selector: &'s Selector,
    handler: impl FnMut(&mut TextChunk<'_>) -> HandlerResult + 'h,
) -> (Cow<'s, Selector>, ElementContentHandlers<'h>) {
    (Cow::Borrowed(selector), ElementContentHandlers::default().text(handler))
}
