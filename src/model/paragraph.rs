//! A source body, parsed once into numbered paragraphs. Each top-level
//! Markdown block (paragraph or heading) is one paragraph ¶n of the source —
//! the unit of citation — and holds a small inline tree in which annotation
//! spans are nodes like emphasis. HTML pages, plain text (fidelity, search)
//! and data exports all read this tree; nobody parses the source again.
//!
//! Raw HTML in a source is kept as text: sources are third-party text, and
//! whatever looks like a tag in them is shown, never interpreted.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::annotation::{self, RawSpan, SyntaxError};
use crate::code::Code;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
}

/// A node of a paragraph's inline tree. Text is not copied into the tree:
/// a leaf holds its byte range in the paragraph's plain text (read with
/// [`Paragraph::text`]), which the text fills in the tree's order.
///
/// A large dossier holds millions of nodes for the whole build: children
/// are boxed slices (no spare capacity), a link's address is boxed with
/// them and an annotation's id is a `u32`, so a node is 24 bytes, not 40.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Text(Range<u32>),
    Code(Range<u32>),
    /// A line break: a space in the plain text.
    Break,
    Emphasis(Box<[Inline]>),
    Strong(Box<[Inline]>),
    Strikethrough(Box<[Inline]>),
    Link(Box<Link>),
    /// An annotated span: `id` indexes the source's annotations (a file's
    /// size limit keeps them far fewer than 2^32).
    Annotation {
        id: u32,
        children: Box<[Inline]>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub url: Box<str>,
    pub children: Box<[Inline]>,
}

impl Inline {
    /// The node's children; none for a leaf.
    pub fn children(&self) -> &[Inline] {
        match self {
            Inline::Text(_) | Inline::Code(_) | Inline::Break => &[],
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => c,
            Inline::Link(link) => &link.children,
            Inline::Annotation { children, .. } => children,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// 1-based; ¶n, anchor `#pn`.
    pub number: usize,
    pub kind: BlockKind,
    pub inlines: Vec<Inline>,
    /// The text a reader sees, without any markup.
    pub plain: String,
    /// `plain` as the fidelity check compares it and the exports publish
    /// it (NFC, white space collapsed), computed once; `None` when it is
    /// `plain` already, as it is for most paragraphs, which spares a copy
    /// of the text. Read it with [`Paragraph::normal`].
    pub normal: Option<String>,
    /// File offsets of the block.
    pub span: Range<usize>,
}

/// An annotation as read, before its keys are interpreted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanInParagraph {
    pub paragraph: usize,
    pub raw: RawSpan,
    /// The annotated words' place in the paragraph's plain text (byte
    /// offsets): the words are read there, not copied.
    pub plain_range: Range<usize>,
}

#[derive(Debug, Default)]
pub struct ParsedBody {
    pub paragraphs: Vec<Paragraph>,
    pub spans: Vec<SpanInParagraph>,
    pub errors: Vec<SyntaxError>,
}

pub fn markdown_options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES
}

/// Parses the body of a source, which starts at byte `base` of its file.
pub fn parse_body(body: &str, base: usize) -> ParsedBody {
    let mut parsed = ParsedBody::default();
    for (kind, range, too_deep) in top_level_blocks(body, base) {
        if let Some(error) = too_deep {
            parsed.errors.push(error);
            parsed
                .paragraphs
                .push(unparsed(parsed.paragraphs.len() + 1, kind, body, range, base));
            continue;
        }
        let stripped = annotation::strip(&body[range.clone()], base + range.start);
        parsed.errors.extend(stripped.errors);
        let mut spans = stripped.spans;
        spans.sort_by_key(|s| (s.range.start, std::cmp::Reverse(s.range.end)));
        let first_id = parsed.spans.len();
        let number = parsed.paragraphs.len() + 1;
        let mut tree = TreeBuilder::new(&spans, first_id, base + range.start);
        tree.run(&stripped.text);
        let refused = tree.refused.take();
        let (inlines, plain, errors) = tree.finish();
        parsed.errors.extend(errors);
        if let Some(dest) = refused {
            // Found in the block as written (the tree's offsets are in the
            // text without annotations); the block's start if escaped.
            let at = base + range.start + body[range.clone()].find(&dest).unwrap_or(0);
            parsed.errors.extend(refused_link(&dest, at..at + dest.len()));
        }
        let mut ranges = vec![0..0; spans.len()];
        annotation_ranges(&inlines, &mut 0, &mut |id, r| ranges[id - first_id] = r);
        for (raw, plain_range) in spans.into_iter().zip(ranges) {
            parsed.spans.push(SpanInParagraph {
                paragraph: number,
                plain_range,
                raw,
            });
        }
        parsed.paragraphs.push(Paragraph {
            number,
            kind,
            inlines,
            normal: normal_if_other(&plain),
            plain,
            span: base + range.start..base + range.end,
        });
    }
    parsed
}

impl Paragraph {
    /// The paragraph's text as the fidelity check compares it and the
    /// exports publish it: NFC, white space collapsed.
    pub fn normal(&self) -> &str {
        self.normal.as_deref().unwrap_or(&self.plain)
    }

    /// The words of a text or code leaf of this paragraph's tree.
    pub fn text(&self, leaf: &Range<u32>) -> &str {
        &self.plain[leaf.start as usize..leaf.end as usize]
    }
}

/// The normal form of `plain`, kept only when it differs from `plain`.
fn normal_if_other(plain: &str) -> Option<String> {
    if super::fidelity::is_normal(plain) {
        return None;
    }
    let normal = super::fidelity::normalise(plain);
    (normal != plain).then_some(normal)
}

/// A block that is not read any further (it is nested too deep): its
/// Markdown as text, so the error can point into it and nothing recurses.
fn unparsed(number: usize, kind: BlockKind, body: &str, range: Range<usize>, base: usize) -> Paragraph {
    let text = body[range.clone()].to_string();
    Paragraph {
        number,
        kind,
        inlines: vec![Inline::Text(0..text_offset(&text))],
        normal: normal_if_other(&text),
        plain: text,
        span: base + range.start..base + range.end,
    }
}

/// A top-level block: its kind, its byte range in the body, and whether it
/// is nested deeper than [`nesting`](super::nesting) allows.
type Block = (BlockKind, Range<usize>, Option<SyntaxError>);

/// The top-level blocks of a Markdown text, as byte ranges. Blocks that are
/// neither paragraphs nor headings (lists, quotes…) count as paragraphs.
fn top_level_blocks(body: &str, base: usize) -> Vec<Block> {
    blocks_read_from(&without_span_openers(body), body, base)
}

/// The blocks of `body` as Markdown reads them in `read`, a text of the
/// same length with the same blocks (see [`without_span_openers`]).
fn blocks_read_from(read: &str, body: &str, base: usize) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut depth = 0usize;
    let mut nesting = super::nesting::Depth::default();
    for (event, range) in Parser::new_ext(read, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    let kind = match tag {
                        Tag::Heading { level, .. } => BlockKind::Heading(level as u8),
                        _ => BlockKind::Paragraph,
                    };
                    blocks.push((kind, trim_range(body, range.clone()), None));
                }
                depth += 1;
                if let (Err(e), Some(block)) = (
                    nesting.enter(&tag, base + range.start..base + range.end),
                    blocks.last_mut(),
                ) {
                    block.2.get_or_insert(e);
                }
            }
            Event::End(tag) => {
                depth = depth.saturating_sub(1);
                nesting.leave(&tag);
            }
            Event::Html(_) | Event::Text(_) | Event::Rule if depth == 0 => {
                blocks.push((BlockKind::Paragraph, trim_range(body, range), None));
            }
            _ => {}
        }
    }
    blocks
}

/// `body` with the `[` that opens each annotation made a `,`, for the
/// pass that only finds the blocks (each block is parsed again once its
/// annotations are stripped). Markdown reads a `]` with a `[` before it
/// as the possible end of a link, and a `[` that starts a line as the
/// possible start of a reference definition, and scans the words in
/// between for a label: over annotated text, those scans were a quarter
/// of the parse.
///
/// The blocks stay the same, at the same offsets (one byte for one, and
/// `,` is punctuation like `[`, so emphasis reads the same): an
/// annotation's `[` never starts a definition, as the first bracket
/// after it ends or spoils the label and is not a `]:`, and masked, it
/// lets no other label run on: a label that crossed it still meets a
/// `[` left as it was, or a `]` followed by `{`. Only CDATA starts a
/// block with a `[`: a body that has one is read as it is.
fn without_span_openers(body: &str) -> std::borrow::Cow<'_, str> {
    let bytes = body.as_bytes();
    if memchr::memmem::find(bytes, b"]{").is_none() || memchr::memmem::find(bytes, b"<![CDATA[").is_some() {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut open = Vec::new();
    let mut masked = Vec::new();
    let mut from = 0;
    while let Some(found) = memchr::memchr3(b'\\', b'[', b']', &bytes[from..]) {
        let at = from + found;
        from = at + 1;
        match bytes[at] {
            // An escaped bracket is no bracket (a following multi-byte
            // character is stepped into, never read as a bracket).
            b'\\' => from = (at + 2).min(bytes.len()),
            b'[' => open.push(at),
            _ => {
                if let (Some(opener), Some(b'{')) = (open.pop(), bytes.get(at + 1)) {
                    masked.push(opener);
                }
            }
        }
    }
    if masked.is_empty() {
        return std::borrow::Cow::Borrowed(body);
    }
    masked.sort_unstable();
    // Each `[` is one byte and a character of its own: cut around it.
    let mut copy = String::with_capacity(body.len());
    let mut kept = 0;
    for at in masked {
        copy.push_str(&body[kept..at]);
        copy.push(',');
        kept = at + 1;
    }
    copy.push_str(&body[kept..]);
    std::borrow::Cow::Owned(copy)
}

/// A source's own links lead to web addresses or relative paths; the
/// dossier's links (`source:`…) belong in notes, where they are resolved.
fn refused_link(dest: &str, span: Range<usize>) -> Option<SyntaxError> {
    use super::links::Destination;
    let scheme = match super::links::classify(dest) {
        Destination::Relative | Destination::External => return None,
        Destination::Internal => dest.split(':').next().unwrap_or_default().to_ascii_lowercase(),
        Destination::Refused(scheme) => scheme,
    };
    Some(SyntaxError {
        code: Code::E0213,
        message: format!("a `{scheme}:` link is not allowed in a source"),
        span,
        help: "a source's links lead to `https:`, `http:` or `mailto:` addresses or relative paths; links to the dossier's pages go in a `note=`",
    })
}

fn trim_range(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let end = range.start + slice.trim_end().len();
    range.start..end
}

#[derive(Debug)]
enum Frame {
    Root,
    Emphasis,
    Strong,
    Strikethrough,
    Link(Box<str>),
    /// An image's alt text is kept as text: sources embed nothing.
    Image,
    Annotation(usize),
}

/// Builds the inline tree of one block from pulldown-cmark's events over the
/// stripped Markdown, opening and closing annotation nodes at their offsets.
struct TreeBuilder<'a> {
    spans: &'a [RawSpan],
    first_id: usize,
    /// (offset, is_open, order key, id), sorted: closes before opens at the
    /// same offset, outer spans open first and close last.
    boundaries: Vec<(usize, bool, i64, usize)>,
    next: usize,
    stack: Vec<(Frame, Vec<Inline>)>,
    errors: Vec<SyntaxError>,
    /// Where the block starts in its file, to report nesting too deep.
    at: usize,
    /// Emphasis and links not opened because the tree is as deep as the
    /// nesting limits allow. The block check refuses such text before it
    /// gets here; this only bounds the tree if that check is ever wrong.
    flattened: usize,
    too_deep: bool,
    /// The first link whose destination is refused, if any.
    refused: Option<String>,
    /// The block's plain text, which the leaves point into.
    plain: String,
    /// Cells opened so far in the table row being read.
    cells_in_row: usize,
}

/// The deepest a paragraph's inline tree can be: its root, emphasis and
/// links, and annotations.
const MAX_TREE_DEPTH: usize = 1 + super::nesting::MAX_INLINE_DEPTH + super::nesting::MAX_ANNOTATION_DEPTH;

impl<'a> TreeBuilder<'a> {
    fn new(spans: &'a [RawSpan], first_id: usize, at: usize) -> Self {
        let mut boundaries = Vec::with_capacity(spans.len() * 2);
        for (i, s) in spans.iter().enumerate() {
            let len = (s.range.end - s.range.start) as i64;
            boundaries.push((s.range.start, true, -len, first_id + i));
            boundaries.push((s.range.end, false, len, first_id + i));
        }
        // Spans over the same words nest in the order they were written:
        // the one closed first (lower id) is inside, so it opens last.
        boundaries.sort_by_key(|&(at, open, key, id)| (at, open, key, if open { usize::MAX - id } else { id }));
        TreeBuilder {
            spans,
            first_id,
            boundaries,
            next: 0,
            stack: vec![(Frame::Root, Vec::new())],
            errors: Vec::new(),
            at,
            flattened: 0,
            too_deep: false,
            refused: None,
            plain: String::new(),
            cells_in_row: 0,
        }
    }

    fn run(&mut self, text: &str) {
        let mut depth = 0usize;
        for (event, range) in Parser::new_ext(text, markdown_options()).into_offset_iter() {
            match event {
                Event::Start(tag) => {
                    if depth > 0 {
                        self.start(tag, range.start);
                    }
                    depth += 1;
                }
                Event::End(tag) => {
                    depth = depth.saturating_sub(1);
                    if depth > 0 {
                        self.end(tag, range.end);
                    } else {
                        self.flush(usize::MAX);
                    }
                }
                Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                    self.text(&t, range, false);
                }
                Event::Code(t) => self.text(&t, range, true),
                Event::SoftBreak => {
                    self.flush_through(range.start);
                    self.push_text(" ");
                }
                Event::HardBreak => self.push_break(range.start),
                Event::FootnoteReference(t) => self.text(&format!("[^{t}]"), range, false),
                _ => {}
            }
        }
        self.flush(usize::MAX);
    }

    fn start(&mut self, tag: Tag, at: usize) {
        let frame = match tag {
            Tag::Emphasis => Frame::Emphasis,
            Tag::Strong => Frame::Strong,
            Tag::Strikethrough => Frame::Strikethrough,
            Tag::Link { dest_url, .. } => {
                if self.refused.is_none() && refused_link(&dest_url, 0..0).is_some() {
                    self.refused = Some(dest_url.to_string());
                }
                Frame::Link(dest_url.as_ref().into())
            }
            Tag::Image { .. } => Frame::Image,
            // A list or a table is one paragraph: its items and rows go
            // on lines of their own, a table's cells apart by a space, so
            // that its text reads as the original's lines do.
            Tag::Item | Tag::TableHead | Tag::TableRow => {
                if !self.top().is_empty() {
                    self.push_break(at);
                }
                self.cells_in_row = 0;
                return;
            }
            Tag::TableCell => {
                if self.cells_in_row > 0 {
                    self.flush_through(at);
                    self.push_text(" ");
                }
                self.cells_in_row += 1;
                return;
            }
            _ => return,
        };
        self.flush_through(at);
        if self.is_full() {
            self.flattened += 1;
            return;
        }
        self.stack.push((frame, Vec::new()));
    }

    /// Whether the tree is as deep as it may be; reported once.
    fn is_full(&mut self) -> bool {
        if self.stack.len() < MAX_TREE_DEPTH {
            return false;
        }
        if !std::mem::replace(&mut self.too_deep, true) {
            self.errors.push(SyntaxError {
                code: super::nesting::MARKDOWN_CODE,
                message: format!("emphasis, links and annotations are nested more than {MAX_TREE_DEPTH} deep here"),
                span: self.at..self.at + 1,
                help: "no text needs this many levels: remove the extra `*`, brackets or annotations",
            });
        }
        true
    }

    fn end(&mut self, tag: TagEnd, at: usize) {
        let inline = matches!(
            tag,
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link | TagEnd::Image
        );
        if !inline {
            return;
        }
        self.flush(at);
        if self.flattened > 0 {
            self.flattened -= 1;
            return;
        }
        while matches!(self.stack.last(), Some((Frame::Annotation(_), _))) {
            let (Frame::Annotation(id), _) = self.stack.last().expect("checked") else {
                unreachable!()
            };
            self.crossing_error(*id);
            self.pop();
        }
        self.pop();
        self.flush_through(at);
    }

    fn text(&mut self, t: &str, range: Range<usize>, atomic: bool) {
        self.flush_through(range.start);
        let direct = !atomic && t.len() == range.len();
        let mut done = 0;
        if direct {
            while let Some(&(at, ..)) = self.boundaries.get(self.next) {
                if at >= range.end || !t.is_char_boundary(at - range.start) {
                    break;
                }
                let cut = at - range.start;
                if cut > done {
                    self.append_text(&t[done..cut]);
                    done = cut;
                }
                self.apply_next();
            }
        }
        let rest = &t[done..];
        if atomic {
            let code = self.push_plain(rest);
            self.top().push(Inline::Code(code));
        } else if !rest.is_empty() {
            self.append_text(rest);
        }
    }

    /// Adds `s` to the text the tree reads from; its range there.
    fn push_plain(&mut self, s: &str) -> Range<u32> {
        let start = text_offset(&self.plain);
        self.plain.push_str(s);
        start..text_offset(&self.plain)
    }

    /// Text that continues the last text node, if that is the top's last.
    fn append_text(&mut self, s: &str) {
        let range = self.push_plain(s);
        match self.top().last_mut() {
            Some(Inline::Text(last)) if last.end == range.start => last.end = range.end,
            _ => self.top().push(Inline::Text(range)),
        }
    }

    /// Text in a node of its own (that later text may continue).
    fn push_text(&mut self, s: &str) {
        let range = self.push_plain(s);
        self.top().push(Inline::Text(range));
    }

    fn push_break(&mut self, at: usize) {
        self.flush_through(at);
        self.plain.push(' ');
        self.top().push(Inline::Break);
    }

    fn top(&mut self) -> &mut Vec<Inline> {
        &mut self.stack.last_mut().expect("root frame").1
    }

    /// Applies every boundary strictly before `at`.
    fn flush(&mut self, at: usize) {
        while self.boundaries.get(self.next).is_some_and(|b| b.0 < at) {
            self.apply_next();
        }
    }

    /// Applies every boundary at or before `at`.
    fn flush_through(&mut self, at: usize) {
        while self.boundaries.get(self.next).is_some_and(|b| b.0 <= at) {
            self.apply_next();
        }
    }

    fn apply_next(&mut self) {
        let (_, open, _, id) = self.boundaries[self.next];
        self.next += 1;
        if open {
            if !self.is_full() {
                self.stack.push((Frame::Annotation(id), Vec::new()));
            }
            return;
        }
        let Some(depth) = self
            .stack
            .iter()
            .rposition(|(f, _)| matches!(f, Frame::Annotation(i) if *i == id))
        else {
            return; // already closed by a crossing
        };
        if depth + 1 != self.stack.len() {
            self.crossing_error(id);
        }
        while self.stack.len() > depth {
            self.pop();
        }
    }

    fn crossing_error(&mut self, id: usize) {
        let span = self.spans[id - self.first_id].span.clone();
        self.errors.push(SyntaxError {
            code: Code::E0106,
            message: "the annotation overlaps Markdown emphasis or a link without enclosing it".into(),
            span,
            help: "put the whole emphasis or link inside the annotated words, or the annotation inside it",
        });
    }

    fn pop(&mut self) {
        let (frame, children) = self.stack.pop().expect("non-empty stack");
        let node = match frame {
            Frame::Root => {
                self.stack.push((Frame::Root, children));
                return;
            }
            Frame::Emphasis => Inline::Emphasis(children.into_boxed_slice()),
            Frame::Strong => Inline::Strong(children.into_boxed_slice()),
            Frame::Strikethrough => Inline::Strikethrough(children.into_boxed_slice()),
            Frame::Link(url) => Inline::Link(Box::new(Link {
                url,
                children: children.into_boxed_slice(),
            })),
            Frame::Image => {
                for child in children {
                    self.top().push(child);
                }
                return;
            }
            Frame::Annotation(id) => Inline::Annotation {
                id: u32::try_from(id).expect("a file's size limit keeps its annotations below 2^32"),
                children: children.into_boxed_slice(),
            },
        };
        self.top().push(node);
    }

    /// The tree, the plain text its leaves point into, and the errors.
    fn finish(mut self) -> (Vec<Inline>, String, Vec<SyntaxError>) {
        while self.stack.len() > 1 {
            self.pop();
        }
        let mut root = self.stack.pop().map(|(_, c)| c).unwrap_or_default();
        // Held for the whole build, one per paragraph: no spare capacity.
        root.shrink_to_fit();
        self.plain.shrink_to_fit();
        (root, self.plain, self.errors)
    }
}

/// A byte offset in a paragraph's text, which the load stage's file size
/// limit keeps far below 4 GiB.
fn text_offset(text: &str) -> u32 {
    u32::try_from(text.len()).expect("files are read under a size limit far below 4 GiB")
}

/// Calls `on_annotation` with each annotation's id and the byte range of
/// its words in the plain text. The leaves hold their ranges, so this only
/// walks the tree; it recurses once per level, at most `MAX_TREE_DEPTH`,
/// which the tree builder enforces.
fn annotation_ranges(inlines: &[Inline], at: &mut usize, on_annotation: &mut dyn FnMut(usize, Range<usize>)) {
    for inline in inlines {
        match inline {
            Inline::Text(r) | Inline::Code(r) => *at = r.end as usize,
            Inline::Break => *at += 1,
            Inline::Annotation { id, children } => {
                let start = *at;
                annotation_ranges(children, at, on_annotation);
                on_annotation(*id as usize, start..*at);
            }
            node => annotation_ranges(node.children(), at, on_annotation),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each span's words, read in its paragraph's plain text.
    fn span_texts(parsed: &ParsedBody) -> Vec<&str> {
        parsed
            .spans
            .iter()
            .map(|s| &parsed.paragraphs[s.paragraph - 1].plain[s.plain_range.clone()])
            .collect()
    }

    #[test]
    fn an_inline_node_stays_small() {
        // A large dossier holds millions for the whole build.
        assert!(size_of::<Inline>() <= 24, "{} bytes", size_of::<Inline>());
    }

    #[test]
    fn numbers_paragraphs_and_headings() {
        let body = "Premier.\n\n## Titre\n\nDeux\nlignes.\n";
        let parsed = parse_body(body, 0);
        let plains: Vec<&str> = parsed.paragraphs.iter().map(|p| p.plain.as_str()).collect();
        assert_eq!(plains, ["Premier.", "Titre", "Deux lignes."]);
        assert_eq!(parsed.paragraphs[1].kind, BlockKind::Heading(2));
        assert_eq!(parsed.paragraphs[2].number, 3);
    }

    #[test]
    fn keeps_a_normal_form_only_when_it_differs_from_the_plain_text() {
        let parsed = parse_body("Plain words.\n\nDecomposed e\u{301}.\n", 0);
        let [plain, decomposed] = &parsed.paragraphs[..] else {
            panic!("two paragraphs")
        };
        assert_eq!(plain.normal, None);
        assert_eq!(plain.normal(), "Plain words.");
        assert_eq!(decomposed.normal(), "Decomposed \u{e9}.");
    }

    #[test]
    fn annotations_become_nodes_with_plain_ranges() {
        let body = "Le [*24 juin*]{date=2025-06-24} et [[A]{actor=a} dit]{sector=s}.";
        let parsed = parse_body(body, 0);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let p = &parsed.paragraphs[0];
        assert_eq!(p.plain, "Le 24 juin et A dit.");
        let texts = span_texts(&parsed);
        assert_eq!(texts, ["24 juin", "A dit", "A"]);
        assert_eq!(
            p.inlines[1],
            Inline::Annotation {
                id: 0,
                children: Box::new([Inline::Emphasis(Box::new([Inline::Text(3..10)]))])
            }
        );
        assert_eq!(p.text(&(3..10)), "24 juin");
    }

    /// The plain text read back from the tree's leaves, in the tree's order.
    fn leaves(inlines: &[Inline], p: &Paragraph, out: &mut String) {
        for inline in inlines {
            match inline {
                Inline::Text(r) | Inline::Code(r) => out.push_str(p.text(r)),
                Inline::Break => out.push(' '),
                node => leaves(node.children(), p, out),
            }
        }
    }

    #[test]
    fn the_leaves_in_order_spell_the_plain_text() {
        let body = "Un `code` et *emph [mot]{x=y}*\\\nsuite\n[lien](https://a.b) ![alt *x*](i.png)  \nfin\n\n- un\n- [deux]{k=v}\n\n> cité **fort**\n";
        let parsed = parse_body(body, 0);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        for p in &parsed.paragraphs {
            let mut read = String::new();
            leaves(&p.inlines, p, &mut read);
            assert_eq!(read, p.plain);
        }
        let texts = span_texts(&parsed);
        assert_eq!(texts, ["mot", "deux"]);
        let codes = parsed.paragraphs[0]
            .inlines
            .iter()
            .filter(|i| matches!(i, Inline::Code(_)))
            .count();
        assert_eq!(codes, 1);
    }

    #[test]
    fn a_tables_rows_are_lines_and_its_cells_words_apart() {
        let body = "| Port | [Catch]{k=v} |\n|---|---|\n| Kelvra | *7* t |\n| Nord | |\n";
        let parsed = parse_body(body, 0);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let [table] = &parsed.paragraphs[..] else {
            panic!("one paragraph: {:?}", parsed.paragraphs)
        };
        assert_eq!(table.plain, "Port Catch Kelvra 7 t Nord ");
        assert_eq!(span_texts(&parsed)[0], "Catch");
        let breaks = table.inlines.iter().filter(|i| matches!(i, Inline::Break)).count();
        assert_eq!(breaks, 2);
        let mut read = String::new();
        leaves(&table.inlines, table, &mut read);
        assert_eq!(read, table.plain);
    }

    #[test]
    fn annotation_inside_emphasis_stays_inside() {
        let parsed = parse_body("*a [b]{x=y} c*", 0);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let Inline::Emphasis(children) = &parsed.paragraphs[0].inlines[0] else {
            panic!("{:?}", parsed.paragraphs[0].inlines)
        };
        assert!(matches!(children[1], Inline::Annotation { id: 0, .. }));
    }

    #[test]
    fn escapes_and_raw_html_are_text() {
        let parsed = parse_body("a \\* b <script>x</script> [sic]", 0);
        assert_eq!(parsed.paragraphs[0].plain, "a * b <script>x</script> [sic]");
    }

    #[test]
    fn reports_annotations_crossing_emphasis() {
        let parsed = parse_body("[a *b]{x=y} c*", 0);
        assert_eq!(parsed.errors.len(), 1, "{:?}", parsed.errors);
        assert_eq!(parsed.errors[0].code, Code::E0106);
    }

    #[test]
    fn offsets_are_file_offsets() {
        let parsed = parse_body("x\n\n[a]{k=v}", 40);
        assert_eq!(parsed.paragraphs[1].span, 43..51);
        assert_eq!(parsed.spans[0].raw.span, 43..51);
    }

    #[test]
    fn two_annotations_on_the_same_words_nest() {
        let parsed = parse_body("[[Poutine]{actor=p}]{sector=s} a dit.", 0);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let texts = span_texts(&parsed);
        assert_eq!(texts, ["Poutine", "Poutine"]);
    }

    /// The depth of an inline tree, measured without recursion.
    fn tree_depth(inlines: &[Inline]) -> usize {
        let mut deepest = 0;
        let mut todo: Vec<(&[Inline], usize)> = vec![(inlines, 1)];
        while let Some((list, depth)) = todo.pop() {
            deepest = deepest.max(depth);
            for inline in list {
                match inline {
                    Inline::Text(_) | Inline::Code(_) | Inline::Break => {}
                    node => todo.push((node.children(), depth + 1)),
                }
            }
        }
        deepest
    }

    /// Issue 13: 8,000 nested `*` or annotations overflowed the stack. They
    /// are refused, located, and the paragraph's tree stays flat.
    #[test]
    fn refuses_deep_nesting_before_building_a_tree() {
        let n = 8_000;
        let cases = [
            (Code::E0108, format!("Intro.\n\n{0}w{0}\n", "*".repeat(n))),
            (Code::E0108, format!("Intro.\n\n{} w\n", ">".repeat(n))),
            (
                Code::E0107,
                format!("Intro.\n\n{}w{}\n", "[".repeat(n), "]{sector=s}".repeat(n)),
            ),
        ];
        for (code, body) in &cases {
            let parsed = parse_body(body, 100);
            assert_eq!(
                parsed.errors.len(),
                1,
                "{code}: one mistake, one message: {:?}",
                parsed.errors
            );
            assert_eq!(parsed.errors[0].code, *code);
            assert!(
                (108..108 + 2 * n).contains(&parsed.errors[0].span.start),
                "{:?}",
                parsed.errors[0]
            );
            assert_eq!(parsed.paragraphs.len(), 2);
            for p in &parsed.paragraphs {
                assert!(tree_depth(&p.inlines) <= MAX_TREE_DEPTH, "{code}");
            }
        }
    }

    #[test]
    fn accepts_nesting_up_to_the_limits() {
        use super::super::nesting::{MAX_ANNOTATION_DEPTH, MAX_INLINE_DEPTH};
        let annotations = MAX_ANNOTATION_DEPTH;
        let body = format!(
            "{0}{1}w{2}{0}\n",
            "*".repeat(MAX_INLINE_DEPTH),
            "[".repeat(annotations),
            "]{sector=s}".repeat(annotations)
        );
        let parsed = parse_body(&body, 0);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.spans.len(), annotations);
        let depth = tree_depth(&parsed.paragraphs[0].inlines);
        assert!(depth > annotations && depth <= MAX_TREE_DEPTH, "{depth}");
    }

    /// The tree builder bounds its own depth, whatever reaches it.
    #[test]
    fn the_tree_builder_never_nests_past_its_limit() {
        let text = format!("{0}w{0}", "*".repeat(4_000));
        let mut tree = TreeBuilder::new(&[], 0, 7);
        tree.run(&text);
        let (inlines, _, errors) = tree.finish();
        assert!(tree_depth(&inlines) <= MAX_TREE_DEPTH);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].code, errors[0].span.start), (Code::E0108, 7));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// A word of any characters but white space and controls.
        fn word() -> impl Strategy<Value = String> {
            proptest::collection::vec(
                any::<char>().prop_filter("a word", |c| !c.is_whitespace() && !c.is_control()),
                1..8,
            )
            .prop_map(|chars| chars.into_iter().collect())
        }

        /// `text` as Markdown that reads as exactly `text`: ASCII punctuation,
        /// brackets included, is backslash-escaped.
        fn escape(text: &str) -> String {
            text.chars()
                .flat_map(|c| (c.is_ascii_punctuation().then_some('\\')).into_iter().chain([c]))
                .collect()
        }

        /// Pieces of Markdown whose blocks could change if an annotation's
        /// brackets were read otherwise: reference and footnote definitions, CDATA,
        /// tables, containers, code, escapes and annotations.
        fn markdown_piece() -> impl Strategy<Value = &'static str> {
            proptest::sample::select(vec![
                "[",
                "]",
                "]{",
                "]{s}",
                "{",
                "}",
                "]:",
                "[r]: /u",
                "[^1]:",
                "[^1]",
                "<![CDATA[",
                "]]>",
                "\\",
                "\\]",
                "`",
                "```",
                "\n",
                "\n\n",
                "> ",
                "- ",
                "1. ",
                "# ",
                "    ",
                "|",
                "| a |",
                "|---|",
                "---",
                "===",
                "*",
                "_",
                "(u)",
                "words ",
                "é ",
                "<div>",
                "\t",
                "| a ]{x} |\n",
                "|---|---|\n",
            ])
        }

        /// Blocks by their kinds and places.
        type Blocks = Vec<(BlockKind, Range<usize>)>;

        /// `body`'s blocks as the pass that finds them reads them, and as
        /// Markdown reads the body itself.
        fn blocks_both_ways(body: &str) -> (Blocks, Blocks) {
            let kinds_and_places =
                |blocks: Vec<Block>| blocks.into_iter().map(|(kind, range, _)| (kind, range)).collect();
            (
                kinds_and_places(top_level_blocks(body, 0)),
                kinds_and_places(blocks_read_from(body, body, 0)),
            )
        }

        #[test]
        fn masking_span_openers_keeps_definitions_and_cdata() {
            for body in [
                "[| a ]{x} |\n- |---|---|\n",
                // No definition: the `]` ends the label, and is no `]:`.
                "[| a ]{x} |\n]:[[",
                "]{x} [a]{y}]: /u\n",
                // A definition whose label has an escaped `]{`.
                "[a\\]{x}]: /u\n\n[a\\]{x}]\n",
                "[r]{x}: /u\n\n[r]: /u\n",
                "[^1]{x}:\n\n[^1]: note\n",
                // One HTML block to its `]]>`, over the blank line.
                "<![CDATA[ a ]{x}\n\nb ]]>\n",
                "> [a]{x}\n> - [b\n]{y}\n",
            ] {
                let (masked, plain) = blocks_both_ways(body);
                assert_eq!(masked, plain, "{body:?}");
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            /// The pass that finds the blocks reads the body with its
            /// annotations' `[` masked: it finds the blocks it would find
            /// without, at the same places.
            #[test]
            fn masking_span_openers_keeps_the_blocks(pieces in proptest::collection::vec(markdown_piece(), 0..40)) {
                let body = pieces.concat();
                prop_assert_eq!(without_span_openers(&body).len(), body.len());
                let (masked, plain) = blocks_both_ways(&body);
                prop_assert_eq!(&masked, &plain, "{:?}", body);
            }

            /// Whatever the text, annotating runs of its words and then
            /// reading the annotations back gives the text, and each span
            /// holds exactly the words it was put around.
            #[test]
            fn stripping_annotations_gives_back_the_text(
                words in proptest::collection::vec(word(), 1..12),
                runs in proptest::collection::vec((1usize..4, any::<bool>()), 12),
                outer in any::<bool>(),
            ) {
                let mut annotated = Vec::new();
                let mut expected_spans = Vec::new();
                let mut rest = &words[..];
                for &(len, wrap) in &runs {
                    if rest.is_empty() {
                        break;
                    }
                    let (run, next) = rest.split_at(len.min(rest.len()));
                    rest = next;
                    let text = run.join(" ");
                    if wrap {
                        annotated.push(format!("[{}]{{sector=s note=\"n\"}}", escape(&text)));
                        expected_spans.push(text);
                    } else {
                        annotated.push(escape(&text));
                    }
                }
                let text = words.join(" ");
                let mut body = annotated.join(" ");
                if outer {
                    body = format!("[{body}]{{actor=a}}");
                    expected_spans.push(text.clone());
                }
                let parsed = parse_body(&body, 0);
                prop_assert!(parsed.errors.is_empty(), "{body}: {:?}", parsed.errors);
                prop_assert_eq!(parsed.paragraphs.len(), 1);
                prop_assert_eq!(&parsed.paragraphs[0].plain, &text);
                let mut read = String::new();
                leaves(&parsed.paragraphs[0].inlines, &parsed.paragraphs[0], &mut read);
                prop_assert_eq!(&read, &text);
                let mut spans = span_texts(&parsed);
                let mut expected: Vec<&str> = expected_spans.iter().map(String::as_str).collect();
                spans.sort_unstable();
                expected.sort_unstable();
                prop_assert_eq!(spans, expected);
            }
        }
    }
}
