"""The catalogue drives every layer: each kind and subject has every piece, or the check names what lacks.

A kind needs a docstring (its first line is the CLI summary), an `Example:` (the CLI example), a fold
step, a builder in tests/builders.py and a status among its subject's words; a subject needs its
aggregate's declared events, its place in the query side's picture and colours that agree.
"""

import typing
from typing import ClassVar, Literal

import pytest

from stratlog.domain import catalogue, picture, views
from stratlog.domain.aggregate import CorrectionRecorded, RetractionRecorded, StatementRecorded, Subject
from stratlog.domain.catalogue import BY_KIND, STATEMENT_CLASSES, SUBJECTS, CatalogueIncomplete, check
from stratlog.domain.folders import NoFoldStep, SubjectState
from stratlog.domain.groups import fold_group, grouped
from stratlog.domain.history import Entry, apply_fixes
from stratlog.domain.statement import Statement
from stratlog.domain.subject_type import SubjectType
from stratlog.infrastructure.mapper import event_class
from tests.builders import EXAMPLES, RECORDED, example

KINDS = [cls.KIND for cls in STATEMENT_CLASSES]
SUBJECT_OF = {cls.KIND: subject for subject in SUBJECTS for cls in subject.statements}


def folded(kind: str) -> list[dict]:
    """The brand's group views once the example of `kind` and those it needs are folded (strictly)."""
    said = [example(k) for k in (*EXAMPLES[kind].before, kind)]
    entries = [Entry(s.statement_id(), n, RECORDED, s) for n, s in enumerate(said, 1)]
    members = grouped(apply_fixes(entries))
    return [view for group, es in members.items() if (view := fold_group(group, es, None, strict=True))]


def test_the_query_side_picture_is_what_the_catalogue_derives():
    """domain/picture.py is generated: after adding a subject, run `python -m stratlog.domain.catalogue`."""
    assert {name: getattr(picture, name) for name in ("GROUPS", "SUBJECTS", "STATUSES", "INDEX")} == catalogue.picture()


def test_the_catalogue_lists_every_kind_once_with_its_class_and_the_fixes_last():
    assert catalogue.KINDS[-2:] == ("statement-corrected", "statement-retracted")
    assert len(set(catalogue.KINDS)) == len(catalogue.KINDS) == len(STATEMENT_CLASSES) + 2
    assert all(BY_KIND[kind].KIND == kind for kind in catalogue.KINDS)


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_a_summary_an_example_and_a_builder(kind):
    cls = BY_KIND[kind]
    assert catalogue.summary(cls) and "\n" not in catalogue.summary(cls)
    assert catalogue.example(cls).startswith(f"{kind} ")
    assert kind in EXAMPLES, f"tests/builders.py has no example of {kind}"
    assert example(kind).KIND == kind


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_folds_into_a_timeline_row_whose_status_is_a_word_of_its_subject(kind):
    groups = folded(kind)
    expected = EXAMPLES[kind].row
    rows = views.timeline(groups, example(kind).brand, RECORDED.date().replace(year=2030))
    if expected is None:  # a registration or an actual: no row of its own
        return
    row = next(r for r in rows if (r["subject_type"], r["subject"]) == expected[:2])
    assert (row["date"], row["status"]) == expected[2:]
    assert row["status"] in SUBJECT_OF[kind].words


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.name)
def test_every_subject_records_each_of_its_kinds_and_our_fixes_through_declared_event_classes(subject):
    events = subject.aggregate.EVENTS
    assert set(events) == {cls.KIND for cls in subject.statements} | {"statement-corrected", "statement-retracted"}
    for kind, event in events.items():
        assert event.__qualname__ == f"{subject.aggregate.__name__}.{event.__name__}"
        assert vars(subject.aggregate)[event.__name__] is event
        assert event.model_fields["statement"].annotation is BY_KIND[kind]


@pytest.mark.parametrize("subject", SUBJECTS, ids=lambda s: s.name)
def test_every_subject_is_part_of_the_picture_the_timeline_and_state_are_made_of(subject):
    assert set(subject.folders) <= set(picture.GROUPS)
    if subject.state is not None:
        assert subject.name in views.SUBJECT_TYPES
        assert "status" in subject.state.row.__annotations__
        assert set(subject.state.table) <= set(subject.state.row.__annotations__)


def test_a_status_word_has_the_same_colour_in_every_subject():
    for word, tone in picture.STATUSES.items():
        assert all(s.tones.get(word) == tone for s in SUBJECTS if word in s.words), word


@pytest.mark.parametrize("subject", [s for s in SUBJECTS if s.name in catalogue.LEGACY_SUBJECTS], ids=lambda s: s.name)
def test_the_topics_release_1_stored_name_the_classes_of_today(subject):
    for event in subject.aggregate.EVENTS.values():
        for module in (subject.aggregate.__module__, *catalogue.LEGACY_MODULES):
            assert event_class(f"{module}:{event.__qualname__}") is event


def test_a_subject_new_since_release_1_answers_to_its_own_topics_only():
    assert event_class("stratlog.domain.plant:Plant.PlantOpened").__qualname__ == "Plant.PlantOpened"
    with pytest.raises(ValueError, match="is not a stratlog event"):
        event_class("stratlog.domain.subjects_aggregates:Plant.PlantOpened")


def test_the_catalogue_check_passes_and_names_every_missing_piece_of_a_new_subject():
    check()

    class GadgetStatement(Statement):
        SUBJECT: ClassVar[str] = "gadget"
        KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "gadget")
        gadget: str

    class GadgetBuilt(GadgetStatement):  # no docstring, so no summary and no example
        kind: Literal["gadget-built"]

    class Gadget(Subject):
        """A subject whose kind nobody taught the fold."""

        class GadgetBuilt(StatementRecorded):
            """A gadget-built statement, recorded."""

            statement: GadgetBuilt

        class StatementCorrected(CorrectionRecorded):
            """Our correction."""

        class StatementRetracted(RetractionRecorded):
            """Our retraction."""

    class GadgetState(SubjectState):
        """A gadget."""

    gadget = SubjectType(aggregate=Gadget, statuses=Literal["built"], fold_state=GadgetState,
                         tones={"built": "shiny", "broken": "ended"})
    with pytest.raises(CatalogueIncomplete) as refused:
        check((*SUBJECTS, gadget))
    message = str(refused.value)
    assert "GadgetBuilt has no docstring (its first line is the CLI summary)" in message
    assert "GadgetBuilt's docstring has no 'Example: gadget-built …' line" in message
    assert "GadgetBuilt has no fold step" in message
    assert "gadget: tone 'shiny' of 'built' is not one of ('done', 'late', 'ended')" in message
    assert "gadget: 'broken' has a tone but is not a status word" in message


def test_an_event_class_whose_statement_resolves_to_itself_is_refused_when_declared():
    with pytest.raises(TypeError, match="Gizmo.WidgetMade.statement names .* not a statement class"):
        class Gizmo(Subject):
            class WidgetMade(StatementRecorded):
                statement: "WidgetMade"  # noqa: F821 - a deferred name: by the time it resolves, it names this event class


def test_a_statement_of_a_kind_without_fold_step_is_refused_before_anything_is_recorded():
    class Orphan(Statement):
        """A kind nobody registered a fold step for.

        Example: orphan alpine
        """

        SUBJECT: ClassVar[str] = "model"
        KEY_FIELDS: ClassVar[tuple[str, ...]] = ("brand", "model")
        model: str
        kind: Literal["orphan"]

    orphan = Orphan(brand="alpine", model="X", announced_on="2024", source={"title": "T"})
    with pytest.raises(NoFoldStep, match="no fold step is registered for Orphan"):
        fold_group("model", [Entry(orphan.statement_id(), 1, RECORDED, orphan)], None, strict=True)


def test_a_kind_is_written_once_and_gives_the_class_its_kind_and_the_field_its_default():
    cls = BY_KIND["plant-opened"]
    assert typing.get_args(cls.model_fields["kind"].annotation) == ("plant-opened",)
    assert cls(brand="polestar", plant="Chengdu", opened_on="2025", announced_on="2025",
               source={"title": "T"}).kind == "plant-opened"
