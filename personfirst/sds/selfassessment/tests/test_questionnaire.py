"""The questionnaire file, read with the shared definition-file checker and
the ``need`` item type; and its fit with the RAS."""

from __future__ import annotations

import dataclasses

import pytest

from personfirst.core.definitions.items import Response
from personfirst.core.validation import Invalid
from personfirst.sds.allocation import ras_file
from personfirst.sds.selfassessment import questionnaire as qn

TEXT = (qn.SHIPPED / "supported-self-assessment.yaml").read_text()


def test_the_shipped_questionnaire_loads_and_fits_the_shipped_ras():
    questionnaire = qn.current()
    assert len(questionnaire.domains) == 12
    assert [d.key for d in questionnaire.domains if d.carer_part] == ["carer"]
    assert len(questionnaire.questions(carer_present=False)) == len(questionnaire.questions()) - 2
    for path in ras_file.SHIPPED.glob("*.yaml"):
        assert qn.check_against(questionnaire, ras_file.load(path)) == []


@pytest.mark.parametrize(
    ("bad", "good", "expected"),
    [
        ("type: need", "type: needs", "sa.yaml:13: unknown item type 'needs' (did you mean 'need'?)"),
        ("version: 1", "version: 0", "sa.yaml:5: version must be a whole number of 1 or more"),
        ("  - key: eating-drinking", "  - key: Eating", "sa.yaml:"),
        ("title: Your self-assessment\n", "", "sa.yaml:4: the questionnaire is missing required key 'title'"),
        ("- {key: some,", "- {key: none,", "is already used on line"),
        ("carer_part: true", "carer_part: yes", "carer_part must be true or false"),
    ],
)
def test_a_malformed_questionnaire_names_what_and_where(bad, good, expected):
    with pytest.raises(qn.DefinitionFileError) as error:
        qn.parse(TEXT.replace(bad, good, 1), "sa.yaml")
    assert any(str(problem).startswith(expected) or expected in str(problem) for problem in error.value.problems), [
        str(p) for p in error.value.problems
    ]


def test_a_need_question_takes_one_of_its_options_and_no_not_relevant():
    item = qn.current().question("washing").item
    kind = item.kind
    assert kind.clean(item, {"option": "most"})["option"] == "most"
    with pytest.raises(Invalid, match="not one of the answers"):
        kind.clean(item, {"option": "plenty"})
    with pytest.raises(Invalid, match="Every question needs an answer"):
        kind.clean(item, {"not_relevant": True})
    # Its scale is the order of the file: least need first.
    assert kind.scale(item) == ("none", "some", "most", "all")
    assert kind.position(item, Response(option="most")) == 3
    assert kind.score(item, Response(option="all")) is None  # points are the RAS's


def test_a_ras_that_does_not_fit_the_questionnaire_is_named():
    questionnaire = qn.current()
    ras = ras_file.load(ras_file.SHIPPED / "eastmere-ras-1.yaml")
    domain = ras.domains[0]
    washing = dataclasses.replace(domain.questions[0], points={"none": 5, "some": 3, "most": 7})
    changed = dataclasses.replace(ras, domains=(dataclasses.replace(domain, questions=(washing,)), *ras.domains[1:]))
    problems = qn.check_against(questionnaire, changed)
    assert "The RAS gives no points for 'washing: all'." in problems
    assert "The RAS gives no points for the question 'dressing'." in problems
