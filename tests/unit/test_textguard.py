"""competency_portal.lib.textguard: the one guard every incoming text goes through."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from competency_portal.lib.textguard import GuardedForm, clean_strings, clean_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("สมชาย ใจดี", "สมชาย ใจดี"),
        ("a\x00b", "ab"),  # NUL
        ("a\x07\x1b[31mb", "a[31mb"),  # bell, escape
        ("a\x85b\x9fc\x7fd", "abcd"),  # C1 and DEL
        ("a\fb\vc", "abc"),  # form feed, vertical tab
        ("one\ntwo\tthree\r", "onetwothree"),  # single line: no line breaks or tabs
        ("\u202eevil\u202c.pdf", "evil.pdf"),  # right-to-left override and pop
        ("\u2066x\u2067y\u2068z\u2069", "xyz"),  # isolates
        ("\u202a\u202b\u202dq", "q"),  # embeddings, left-to-right override
        ("ad\u200bmin\u200c\u200d\u2060\ufeff", "admin"),  # zero-width characters
        ("e\u0301", "\u00e9"),  # NFC
        ("", ""),
    ],
)
def test_single_line_text(raw, expected):
    assert clean_text(raw) == expected


def test_multiline_text_keeps_newlines_and_tabs_only():
    raw = "บรรทัด 1\r\nบรรทัด 2\rบรรทัด\t3\x00\f\u202e\u200b"
    assert clean_text(raw, multiline=True) == "บรรทัด 1\nบรรทัด 2\nบรรทัด\t3"


def test_thai_combining_marks_are_kept():
    assert clean_text("น้ำใจ ผู้ใหญ่") == "น้ำใจ ผู้ใหญ่"


def test_max_length_counts_the_cleaned_text():
    assert clean_text("ก" * 10 + "\u200b" * 5, max_length=10) == "ก" * 10
    with pytest.raises(ValidationError) as error:
        clean_text("ก" * 11, max_length=10)
    assert "๑๐" in error.value.messages[0] and "๑๑" in error.value.messages[0]


def test_non_text_values_pass_through():
    assert clean_text(None) is None
    assert clean_text(5) == 5


def test_clean_strings_reaches_every_string_of_nested_data():
    data = {"na\u200bme": ["a\x00", {"k": "x\u202ey"}], "n": 3, "t": "a\nb"}
    assert clean_strings(data) == {"name": ["a", {"k": "xy"}], "n": 3, "t": "a\nb"}


class SampleForm(GuardedForm):
    name = forms.CharField(max_length=5)
    note = forms.CharField(widget=forms.Textarea, required=False)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)
    count = forms.IntegerField(required=False)


def test_a_guarded_form_cleans_every_text_field():
    form = SampleForm(
        data={
            "name": "ab\u200b\u200b\u200bcde",  # 5 characters once cleaned
            "note": "x\r\ny\x00\u202e",
            "secret": "p\u200bw",
            "count": "3",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"name": "abcde", "note": "x\ny", "secret": "p\u200bw", "count": 3}


def test_a_guarded_form_checks_max_length_after_cleaning():
    form = SampleForm(data={"name": "abcdef\x00"})
    assert not form.is_valid()
    assert "name" in form.errors


def test_a_whole_number_is_plain_ascii_digits_only():
    from competency_portal.lib.textguard import whole_number

    assert [whole_number(v) for v in ["12", "0", 7]] == [12, 0, 7]
    assert [whole_number(v) for v in ["²", "๓", "-1", " 5", "", None, "1.5"]] == [None] * 7
