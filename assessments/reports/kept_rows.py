"""Rows laid out once a process: the annex's indicator rows (issue 13, item 9).

Every person's annex prints the same 66 indicators, each a row of one to three lines with its
two ratings (a handful of values) in a box beside it, and WeasyPrint laid each of them out
again for every form. A row marked `data-keep` in a template is laid out the usual way the
first time its text is seen in a process, and its laid-out lines are kept here (its ratings'
box apart: the same ratings recur across rows and people). The next form gives WeasyPrint,
in the row's place, one empty line as high as the row's lines, so the pages break where they
did; once the pages are laid out, copies of the kept lines and ratings are put into each such
row at its place. The pages are the same as when laid out whole: tests/integration/
test_kept_rows.py compares them pixel by pixel, and their text. Everything else of a form
(comments, headings, footers, the running heads) is laid out for each form as before. A
six-page form: 1,670 → 1,508 million instructions (docs/performance.md).

A row is kept by its text and by what around it could change its layout: the tags and
attributes of the row and of the elements it sits in (the document's language among them) and
the document's own stylesheet. A kept row whose place is not as wide or as high as the kept
one (which those keys rule out) raises Mismatch, and the form is laid out whole instead
(render.laid_out), as it is on any other failure of the copies.
"""

import copy
import hashlib
from dataclasses import dataclass

KEEP = "data-keep"
# Rows and ratings kept in all, then forgotten and kept afresh: a framework's 66 rows and a
# few dozen pairs of ratings are kept in about 0.6 MB; the bound is for versions that come and go
MAX_KEPT = 2_000

_lines = {}  # key: _Laid, the row's lines
_marks = {}  # key: _Laid, the ratings' box


class Mismatch(Exception):
    """A kept row does not fit the place left for it."""


@dataclass(frozen=True)
class _Laid:
    x: float  # the row's content box, where the boxes were laid out
    y: float
    width: float
    height: float
    boxes: tuple


@dataclass
class _Row:
    lines_key: tuple | None  # None: not a row that can be kept
    mark_key: tuple | None
    lines: _Laid | None = None  # what was kept, when the row is placed from it
    mark: _Laid | None = None
    seen: int = 0

    @property
    def placed(self):
        """Laid out from what was kept: an empty line in the document."""
        return self.lines is not None


def prepare(document):
    """Put an empty line of its height in place of every marked row of WeasyPrint's
    `document` (before its layout) whose lines were kept. Returns the marked rows, for finish."""
    root = document.etree_element
    marked = root.xpath(f"//*[@{KEEP}]")
    if not marked:
        return []
    around = _document_key(root)
    rows = []
    for index, element in enumerate(marked):
        element.set(KEEP, str(index))
        rows.append(_prepare_row(element, around))
    return rows


def finish(document, rows):
    """After the layout: copy the kept lines into every row left empty for them, and keep
    the lines of the rows laid out in full."""
    if not rows:
        return
    found = [(box, rows[int(box.element.get(KEEP))]) for box in _marked_boxes(document)]
    for _box, row in found:
        row.seen += 1
    for box, row in found:
        if row.placed:
            _place(box, row)
        elif row.seen == 1:  # a row split between two pages is not kept
            _keep(box, row)


def forget():
    """Nothing kept any more: the next form lays its rows out whole, and keeps them."""
    _lines.clear()
    _marks.clear()


def _document_key(root):
    styles = "".join(style.text or "" for style in root.iter("style"))
    return (root.get("lang"), hashlib.sha256(styles.encode()).hexdigest())


def _attributes(element):
    return tuple(sorted((k, v) for k, v in element.attrib.items() if k != KEEP))


def _prepare_row(element, around):
    chain = tuple((p.tag, _attributes(p)) for p in element.iterancestors())
    context = (around, chain, element.tag, _attributes(element))
    children = list(element)
    mark = children[0] if len(children) == 1 else None
    if (
        len(children) > 1
        or (mark is not None and (mark.tail or "").strip())
        or element.get("style") is not None  # the place left for the row has a style of its own
    ):
        return _Row(None, None)  # not a row of text and one box of ratings: laid out, not kept
    row = _Row((context, element.text), None)
    if mark is not None:
        row.mark_key = (context, mark.tag, _attributes(mark), mark.text)
    lines, marks = _lines.get(row.lines_key), _marks.get(row.mark_key)
    if lines is None or (mark is not None and marks is None):
        return row
    row.lines, row.mark = lines, marks
    element.text = None
    if mark is not None:
        element.remove(mark)
    # In the row's place, one line as high as its lines: an empty block of that height would
    # stay on a page that its bottom padding and border pass the end of, where WeasyPrint moves
    # a row of lines to the next page (tests/integration/test_kept_rows.py, at a page's foot)
    style = f"display: inline-block; vertical-align: top; width: 0; height: {lines.height!r}px"
    element.append(element.makeelement("span", {"style": style}))
    return row


def _marked_boxes(document):
    """The block box of every marked row, page by page (not its line boxes, which name the
    same element)."""
    from weasyprint.formatting_structure import boxes

    for page in document.pages:
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            element = getattr(box, "element", None)
            if (
                element is not None
                and isinstance(box, boxes.BlockBox)
                and element.get(KEEP) is not None
                and box.element_tag == element.tag
            ):
                yield box
            elif isinstance(box, boxes.ParentBox):
                stack.extend(reversed(box.children))


def _keep(box, row):
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.absolute import AbsolutePlaceholder

    laid_lines = box.children
    if row.lines_key is None or not laid_lines:
        return
    if not all(isinstance(line, boxes.LineBox) for line in laid_lines):
        return
    in_flow, marks = [], []  # each line's own boxes; the boxes placed out of the flow
    for line in laid_lines:
        placed_out = [c for c in line.children if isinstance(c, AbsolutePlaceholder)]
        in_flow.append([c for c in line.children if c not in placed_out])
        marks += placed_out
    if len(marks) != (0 if row.mark_key is None else 1):  # its one box is not placed out
        return
    if len(_lines) + len(_marks) >= MAX_KEPT:
        forget()
    pairs = zip(laid_lines, in_flow, strict=True)
    lines = [_fresh(line.copy_with_children(own)) for line, own in pairs]
    at = (box.content_box_x(), box.content_box_y(), box.width, box.height)
    _lines[row.lines_key] = _Laid(*at, tuple(lines))
    if row.mark_key is not None:
        _marks[row.mark_key] = _Laid(*at, (_fresh(marks[0]._box),))


def _place(box, row):
    if abs(box.height - row.lines.height) > 1e-6:  # a line of the place not as high as planned
        raise Mismatch(f"a kept row {row.lines.height} px high, its place {box.height} px")
    lines = _copies_at(box, row.lines)
    if row.mark is not None:
        lines[-1].children = [*lines[-1].children, *_copies_at(box, row.mark)]
    box.children = lines


def _copies_at(box, laid):
    """Copies of the kept boxes, moved from the row where they were laid out (another row, for
    ratings) to `box`'s place."""
    if abs(box.width - laid.width) > 1e-6:
        raise Mismatch(f"a kept row {laid.width} px wide, its place {box.width} px")
    dx, dy = box.content_box_x() - laid.x, box.content_box_y() - laid.y
    placed = []
    for kept in laid.boxes:
        fresh = _fresh(kept)
        fresh.translate(dx, dy)
        placed.append(fresh)
    return placed


def _fresh(box):
    """A copy of `box` and its descendants, each text box with a text layout of its own.
    After the layout a text layout holds no Pango objects, only its text and measures (WeasyPrint
    makes them again on the layout while drawing the box, and drops them after): a shallow copy
    is a layout of its own."""
    from weasyprint.formatting_structure import boxes

    fresh = box.deepcopy()
    for descendant in fresh.descendants():
        if isinstance(descendant, boxes.TextBox):
            descendant.pango_layout = copy.copy(descendant.pango_layout)
    return fresh
