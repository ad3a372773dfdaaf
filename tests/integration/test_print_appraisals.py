"""`manage.py print_appraisals`: the forms of a round (or of one division or person) in one PDF,
each person starting on a new page under a bookmark with their name (assessments/reports/batch.py).

The staff come in through `import_staff` and the round through `open_cycle`, as HR does it.
Text is compared after `searchable` (NFC, no white space: lines wrap inside cells). Every
page's footer reads "<name> · <round> … Page x/y", which tells whose form a page belongs to.
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from pypdf import PdfReader

pytestmark = pytest.mark.django_db

# employee_code, title, first_name, last_name, position_title, position_class, department,
# supervisor_code (then empty email and username)
PEOPLE = [
    ("K1001", "นาย", "ประเสริฐ", "มั่นคง", "ปลัด อบต.", "EXE-2", "สำนักปลัด", ""),
    ("K1002", "นาง", "สุดา", "แสงทอง", "เจ้าพนักงานธุรการ", "GEN-2", "สำนักปลัด", "K1001"),
    ("K1003", "นาย", "ธนพล", "ศรีสุข", "นักพัฒนาชุมชน", "ACA-1", "สำนักปลัด", "K1001"),
    ("K2001", "นาง", "รัตนา", "ทองดี", "ผู้อำนวยการกองคลัง", "DIR-1", "กองคลัง", "K1001"),
    ("K2002", "นาย", "สมชาย", "ใจดี", "นักวิชาการเงินและบัญชี", "ACA-1", "กองคลัง", "K2001"),
    ("K2003", "นางสาว", "มาลี", "ดวงดี", "เจ้าพนักงานการเงิน", "GEN-1", "กองคลัง", "K2001"),
    ("K2004", "นาย", "วิชัย", "พรหมมา", "นักวิชาการจัดเก็บรายได้", "ACA-2", "กองคลัง", "K2001"),
    ("K3001", "นาย", "วีระ", "กล้าหาญ", "ผู้อำนวยการกองช่าง", "DIR-1", "กองช่าง", "K1001"),
    ("K3002", "นาย", "ชาญชัย", "บุญมา", "นายช่างโยธา", "GEN-2", "กองช่าง", "K3001"),
    ("K3003", "นางสาว", "อรุณี", "สายใจ", "คนงานทั่วไป", "PERM", "กองช่าง", "K3001"),
]
HEADER = (
    "employee_code,title,first_name,last_name,position_title,position_class,department,"
    "supervisor_code,email,username"
)
TREASURY = "กองคลัง"
WORKS = "กองช่าง"


# ---------------------------------------------------------------- helpers


def full_name(person):
    _code, title, first, last, *_rest = person
    return f"{title}{first} {last}"


def names(department=None):
    return [full_name(p) for p in PEOPLE if department in (None, p[6])]


def searchable(text):
    """NFC, no whitespace (lines wrap inside cells)."""
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"\s+", "", text)


def first_page_marker():
    """ "Page ๑/" of the footer, in Thai as the forms print it."""
    with translation.override("th"):
        return searchable(translation.gettext("Page")) + "๑/"


@dataclass
class Printed:
    reader: PdfReader
    pages: list  # searchable text of each page
    out: str  # what the command wrote

    @property
    def bookmarks(self):
        """[(title, page index)] of the top level of the outline (nested lists left out)."""
        return [
            (item.title, self.reader.get_destination_page_number(item))
            for item in self.reader.outline
            if not isinstance(item, list)
        ]

    @property
    def form_starts(self):
        """Indexes of the pages that begin a form (page 1 of n in the footer)."""
        marker = first_page_marker()
        return [i for i, text in enumerate(self.pages) if marker in text]

    def owner(self, index):
        """Whose form page `index` belongs to, from its footer."""
        owners = [name for name in names() if f"{searchable(name)}·" in self.pages[index]]
        assert len(owners) == 1, f"page {index + 1} belongs to {owners or 'nobody'}"
        return owners[0]


def print_appraisals(output, *options):
    out = StringIO()
    call_command("print_appraisals", "--cycle", "2569-1", "-o", str(output), *options, stdout=out)
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    return Printed(
        reader, [searchable(page.extract_text()) for page in reader.pages], out.getvalue()
    )


def check_one_form_per_person(printed, expected_names):
    """Each person's form starts on a new page (page 1 of n) and runs on unbroken."""
    owners = [printed.owner(i) for i in range(len(printed.pages))]
    runs = [i for i in range(len(owners)) if i == 0 or owners[i] != owners[i - 1]]
    assert printed.form_starts == runs
    assert sorted(owners[i] for i in runs) == sorted(expected_names)


def check_one_bookmark_per_person_at_their_first_page(printed, expected_names):
    marks = printed.bookmarks
    assert len(marks) == len(expected_names)
    assert sorted(title for title, _page in marks) == sorted(expected_names)
    for name, page in marks:
        assert printed.owner(page) == name
    assert [page for _name, page in marks] == printed.form_starts  # in printing order


@pytest.fixture(scope="module")
def staff_round(module_db, tmp_path_factory):
    """The ten people of PEOPLE imported from a CSV file, and round 2569-1 opened for them:
    once for the module, in its transaction (rolled back after its last test)."""
    tmp_path = tmp_path_factory.mktemp("staff_round")
    rows = [",".join([*person, "", ""]) for person in PEOPLE]
    csv_file = tmp_path / "staff.csv"
    csv_file.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    with module_db.unblock():
        call_command("import_staff", str(csv_file), stdout=StringIO())
        call_command(
            "open_cycle",
            *("--code", "2569-1", "--fiscal-year", "2569", "--round", "1"),
            stdout=StringIO(),
        )
    return tmp_path


@pytest.fixture(scope="module")
def print_once(staff_round, module_db):
    """`print_appraisals(staff_round / name, *options)`, each different call printed only once
    for the module (several tests read the same document)."""
    printed = {}

    def print_or_reuse(name, *options):
        if (name, options) not in printed:
            with module_db.unblock():
                printed[name, options] = print_appraisals(staff_round / name, *options)
        return printed[name, options]

    return print_or_reuse


# ---------------------------------------------------------------- a whole round


def test_a_round_prints_everybody_into_one_pdf_with_the_default_workers(print_once):
    printed = print_once("all.pdf")
    check_one_form_per_person(printed, names())
    check_one_bookmark_per_person_at_their_first_page(printed, names())
    for name in names():
        assert name in printed.out


def test_two_worker_processes_print_the_same_round(print_once):
    printed = print_once("all.pdf", "--workers", "2")
    check_one_form_per_person(printed, names())
    check_one_bookmark_per_person_at_their_first_page(printed, names())
    for name in names():
        assert name in printed.out


def test_the_forms_come_one_division_after_another(print_once):
    printed = print_once("all.pdf", "--workers", "1")
    division = {full_name(p): p[6] for p in PEOPLE}
    sequence = [division[name] for name, _page in printed.bookmarks]
    runs = [d for i, d in enumerate(sequence) if i == 0 or d != sequence[i - 1]]
    assert sorted(runs) == sorted(set(division.values()))


# ---------------------------------------------------------------- a part of the round


def test_a_division_prints_only_its_own_people(print_once):
    printed = print_once("treasury.pdf", "--department", TREASURY, "--workers", "1")
    check_one_form_per_person(printed, names(TREASURY))
    text = "".join(printed.pages)
    # The chief administrator (K1001) is printed as the rater or reviewer of the treasury staff.
    for person in PEOPLE:
        if person[6] != TREASURY and person[0] != "K1001":
            assert searchable(full_name(person)) not in text, full_name(person)


def test_one_employee_prints_one_form(print_once):
    printed = print_once("one.pdf", "--employee", "K2003")
    check_one_form_per_person(printed, ["นางสาวมาลี ดวงดี"])
    check_one_bookmark_per_person_at_their_first_page(printed, ["นางสาวมาลี ดวงดี"])
    assert "นางสาวมาลี ดวงดี" in printed.out


def test_a_batch_of_n_people_gives_n_forms_with_n_bookmarks(print_once):
    printed = print_once("works.pdf", "--department", WORKS, "--workers", "1")
    people = names(WORKS)
    assert len(people) == 3
    assert len(printed.form_starts) == 3
    check_one_bookmark_per_person_at_their_first_page(printed, people)


def test_each_persons_bookmark_holds_the_parts_of_their_form(print_once):
    printed = print_once("works.pdf", "--department", WORKS, "--workers", "1")
    outline, reader = printed.reader.outline, printed.reader
    for index, item in enumerate(outline):
        if isinstance(item, list):
            continue
        children = outline[index + 1]
        assert isinstance(children, list), f"nothing under {item.title}"
        form_title = children[0]  # the form's own h1, with its parts nested below it
        page = reader.get_destination_page_number(item)
        assert reader.get_destination_page_number(form_title) == page
        parts = [part.title for part in children[1] if not isinstance(part, list)]
        assert [title.split()[0] for title in parts[:5]] == ["ส่วนที่"] * 5, parts


def test_every_bookmark_of_a_form_points_into_that_persons_pages(print_once):
    """The forms are joined as they are: each part's bookmark lands on a page of its own
    person's form, never on the first form's or on the page of the person's name."""
    printed = print_once("works.pdf", "--department", WORKS, "--workers", "1")
    reader = printed.reader
    starts = [
        reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    ]
    ends = [*starts[1:], len(reader.pages)]
    nested = [item for item in reader.outline if isinstance(item, list)]

    def pages_of(items):
        for item in items:
            yield from (
                pages_of(item)
                if isinstance(item, list)
                else [reader.get_destination_page_number(item)]
            )

    assert len(nested) == len(starts) == 3
    for start, end, items in zip(starts, ends, nested, strict=True):
        pages = list(pages_of(items))
        assert len(pages) >= 6 and all(start <= page < end for page in pages), (start, end, pages)
        assert max(pages) > start  # the annex's bookmarks are on later pages of the form


def test_an_unknown_round_is_an_error(staff_round):
    output = staff_round / "x.pdf"
    with pytest.raises(CommandError, match="2568-2"):
        call_command("print_appraisals", "--cycle", "2568-2", "-o", str(output), stdout=StringIO())
    assert not output.exists()


def test_nobody_to_print_is_an_error(staff_round):
    output = staff_round / "x.pdf"
    with pytest.raises(CommandError):
        call_command(
            "print_appraisals", "--cycle", "2569-1", "--employee", "K9999", "-o", str(output)
        )
    assert not output.exists()
