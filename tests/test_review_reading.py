"""neurokg review, reading an answer (issue 11): markers, statements with context, references."""

from __future__ import annotations

from pathlib import Path

import pytest

from neurokg.review.bibliography import read_references
from neurokg.review.reading import read_answer, split_sentences

FOUNDING = Path(__file__).parent / "data" / "answers" / "founding-answer.txt"


@pytest.mark.parametrize(
    ("text", "markers"),
    [
        ("Blepharospasm is a focal dystonia [1].", (1,)),
        ("Blepharospasm is a focal dystonia [2, 3].", (2, 3)),
        ("Blepharospasm is a focal dystonia [1-3].", (1, 2, 3)),
        ("Blepharospasm is a focal dystonia [1–3].", (1, 2, 3)),
        ("Blepharospasm is a focal dystonia (4).", (4,)),
        ("Blepharospasm is a focal dystonia.¹²", (12,)),
        ("Blepharospasm is a focal dystonia.¹˒²", (1, 2)),
        ("Blepharospasm is a focal dystonia.^3", (3,)),
        ("Blepharospasm is a focal dystonia[^5].", (5,)),
        ("<p>Blepharospasm is a focal dystonia.<sup>6</sup></p>", (6,)),
        ("Blepharospasm is a focal dystonia. 7", (7,)),
        ("- The lesions typically involve the thalamus 1", (1,)),
        ("- Diabetes mellitus type 2", ()),
        ("Blepharospasm was found in 2 of 733.", ()),
        ("Blepharospasm was found in patients aged 40 to 65.", ()),
        ("Blepharospasm is common (n = 5).", ()),
    ],
)
def test_citation_markers_in_the_forms_answers_use(text: str, markers: tuple[int, ...]) -> None:
    (statement,) = read_answer(text).statements
    assert statement.markers == markers
    assert "[" not in statement.text and "sup" not in statement.text


def test_a_marker_closing_a_sentence_belongs_to_it() -> None:
    answer = read_answer("Blepharospasm is a focal dystonia. 1 Meige syndrome includes it. 2")
    assert [s.markers for s in answer.statements] == [(1,), (2,)]
    assert answer.statements[1].follows == "Blepharospasm is a focal dystonia."


def test_sentences_keep_abbreviations_whole() -> None:
    text = "Ghosh et al. reviewed tremor, e.g. in MS. Dr. Oracle did not. N.Y. is a city."
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == [
        "Ghosh et al. reviewed tremor, e.g. in MS.",
        "Dr. Oracle did not.",
        "N.Y. is a city.",
    ]


def test_bullets_keep_heading_question_and_lead_in() -> None:
    text = (
        "# Is blepharospasm treatable?\n\n## Management\n\n"
        "For MS patients with blepharospasm:\n\n"
        "- Botulinum toxin type A helps [1]. It is given by injection.\n"
        "  It lasts months.\n"
        "- Surgery is rare.\n\n"
        "Blepharospasm in MS is related to lesions:\n\n"
        "* Lesions sit in the brainstem.\n"
    )
    answer = read_answer(text)
    assert answer.fmt == "markdown"
    assert answer.question == "Is blepharospasm treatable?"
    first, second, third, fourth, fifth, sixth = answer.statements
    assert (first.kind, first.heading, first.lead_in) == (
        "bullet",
        "Management",
        "For MS patients with blepharospasm:",
    )
    assert first.question == "Is blepharospasm treatable?" and first.markers == (1,)
    assert second.text == "It is given by injection." and second.follows == first.text
    assert third.text == "It lasts months."
    assert fourth.text == "Surgery is rare."
    assert fifth.kind == "lead-in"  # a statement itself, unlike "For MS patients ...:"
    assert sixth.lead_in == fifth.text


def test_the_founding_answer_is_read_as_its_reader_sees_it() -> None:
    answer = read_answer(FOUNDING.read_text(encoding="utf-8"))
    assert answer.question == "Is blepharospasm associated with Multiple Sclerosis (MS)?"
    markers = sorted({m for s in answer.statements for m in s.markers})
    assert markers == [1, 2, 3, 4, 5, 6]
    assert [r.title for r in answer.references] == [
        "Guideline Directed Topic Overview",
        "Movement Disorders in Multiple Sclerosis: An Update",
        "Meige syndrome: what's in a name?",
    ]
    assert answer.references[0].label == "Guideline"
    assert answer.references[0].byline == "Dr.Oracle Medical Advisory Board & Editors"
    assert [r.year for r in answer.references] == [2025, 2022, 2009]
    assert not any("Disclaimer" in s.text or "liability" in s.text for s in answer.statements)
    assert "Dr.Oracle assumes no liability" in answer.outside


def test_reference_styles() -> None:
    numbered = read_references(
        [
            "1. Ghosh R, Roy D, Dubey S, Das S, Benito-León J. Movement Disorders in Multiple "
            "Sclerosis: An Update. Tremor Other Hyperkinet Mov (N Y). 2022;12:18. PMID: 35601204",
            "[2] Meige syndrome: what's in a name? Parkinsonism Relat Disord, 2009. "
            "https://doi.org/10.1016/j.parkreldis.2009.04.006.",
            "3) Some title without a year",
            "   continued on a second line.",
        ]
    )
    first, second, third = numbered
    assert first.title == "Movement Disorders in Multiple Sclerosis: An Update"
    assert (first.pmid, first.year) == ("35601204", 2022)
    assert second.title == "Meige syndrome: what's in a name?"
    assert second.doi == "10.1016/j.parkreldis.2009.04.006"
    assert third.text == "Some title without a year continued on a second line."
    plain = read_references(
        ["Blepharospasm: a review of 264 patients. J Neurol Neurosurg Psychiatry, 1988"]
    )
    assert (plain[0].title, plain[0].number) == ("Blepharospasm: a review of 264 patients", 1)


def test_terminal_escapes_and_bidi_controls_are_not_echoed() -> None:
    text = "Blepharospasm \x1b[31mis\x1b[0m a focal\u202e dystonia\x07 [1]."
    (statement,) = read_answer(text).statements
    assert statement.text == "Blepharospasm is a focal dystonia."
    assert statement.markers == (1,)
