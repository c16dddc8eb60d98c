"""One voice for every message (issue 11): no Django default error text
reaches a person. Walks every form class of the project, and every kind of
Django form field, and checks that each message a field can show is the
service's own (core/ui/forms.py sets the defaults in one place)."""

from __future__ import annotations

import copy
import importlib
import inspect
import pkgutil

import pytest
from django import forms

import personfirst
from personfirst.core.ui.forms import VALIDATOR_DEFAULTS, GovukFormMixin, django_defaults, use_own_messages

pytestmark = pytest.mark.django_db


def _all_django_defaults() -> set[str]:
    """Every message Django's form fields and validators say by default."""
    found = set(VALIDATOR_DEFAULTS)
    for _name, cls in inspect.getmembers(forms, inspect.isclass):
        if issubclass(cls, forms.Field):
            found |= set(django_defaults(cls.__new__(cls)).values())
    return {message for message in found if message}


DJANGO_DEFAULTS = _all_django_defaults()


def project_form_classes() -> list[type]:
    """Every form class defined in the project (outside tests)."""
    for module in pkgutil.walk_packages(personfirst.__path__, "personfirst."):
        if ".tests" in module.name or module.name.endswith(".migrations") or ".migrations." in module.name:
            continue
        if module.name.rsplit(".", 1)[-1] in ("forms",):
            importlib.import_module(module.name)
    found = []
    seen = set()
    stack = [forms.BaseForm]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                if sub.__module__.startswith("personfirst.") and ".tests" not in sub.__module__:
                    found.append(sub)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORMS = project_form_classes()


def test_the_walk_finds_the_project_forms():
    names = {cls.__qualname__ for cls in FORMS}
    assert {"OrganisationForm", "InvitationForm", "ProfileForm", "SectionForm", "ActionForm", "EntryForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_form_speaks_with_the_services_voice(form_class):
    # The GOV.UK mixin is what sets the service's messages on every field, including those made in __init__.
    assert issubclass(form_class, GovukFormMixin), f"{form_class.__qualname__} does not use core/ui/forms.py"
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    for name, declared in form_class.base_fields.items():
        field = copy.deepcopy(declared)
        model_field = None
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
            except Exception:  # noqa: BLE001 - a field of the form only
                model_field = None
        use_own_messages(field, model_field)
        leaks = {
            code: str(message) for code, message in field.error_messages.items() if str(message) in DJANGO_DEFAULTS
        }
        assert not leaks, f"{form_class.__qualname__}.{name} would show Django's words: {leaks}"


FIELD_CASES = [
    forms.CharField(label="Name", max_length=10, min_length=2),
    forms.CharField(label="What does it do?", max_length=10, required=True),
    forms.IntegerField(label="Paid staff", min_value=0, max_value=50),
    forms.IntegerField(label="Count", max_value=9223372036854775807),
    forms.DecimalField(label="Price", max_digits=6, decimal_places=2, min_value=0),
    forms.FloatField(label="Weight"),
    forms.DateField(label="Due date"),
    forms.DateTimeField(label="When"),
    forms.EmailField(label="E-mail address"),
    forms.URLField(label="Website", assume_scheme="https"),
    forms.ChoiceField(label="Type", choices=[("a", "A")]),
    forms.MultipleChoiceField(label="Parts", choices=[("a", "A")]),
    forms.TypedChoiceField(label="Level", choices=[(1, "One")], coerce=int),
    forms.BooleanField(label="I agree"),
    forms.UUIDField(label="Reference"),
    forms.SlugField(label="Short name"),
    forms.FileField(label="File"),
]


@pytest.mark.parametrize("field", FIELD_CASES, ids=lambda field: f"{type(field).__name__}:{field.label}")
def test_every_kind_of_field_gets_the_services_messages(field):
    field = copy.deepcopy(field)
    use_own_messages(field)
    leaks = {code: str(message) for code, message in field.error_messages.items() if str(message) in DJANGO_DEFAULTS}
    assert not leaks
    # What a validator would say, too.
    for validator in field.validators:
        code = getattr(validator, "code", None)
        if str(getattr(validator, "message", "")) in VALIDATOR_DEFAULTS and code:
            assert code in field.error_messages, f"{type(field).__name__}: {code} would show Django's words"


class Sample(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", max_length=5)
    staff = forms.IntegerField(label="Number of paid staff", min_value=0, max_value=9223372036854775807)
    kept = forms.CharField(label="Kept", error_messages={"required": "Enter the kept thing, please"})


def test_the_messages_a_person_reads():
    form = Sample({"name": "far too long", "staff": "99999999999999999999", "kept": ""})
    assert not form.is_valid()
    assert form.errors["name"] == ["Name must be 5 characters or fewer"]
    assert form.errors["staff"] == ["Number of paid staff is too large: enter a smaller number"]
    assert form.errors["kept"] == ["Enter the kept thing, please"]  # a field's own words win
    assert Sample({"name": "", "staff": "-1", "kept": "x"}).errors == {
        "name": ["Enter name"],
        "staff": ["Number of paid staff must be 0 or more"],
    }
    assert Sample({"name": "x", "staff": "lots", "kept": "x"}).errors == {"staff": ["Enter a whole number, like 12"]}


def test_a_model_limit_is_said_in_words(world):
    """A number too big for the database column (the model's own validator) gets words, not 2147483647."""
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(world.admin)
    data = {"name": "Eastmere Carers' Centre", "org_type": world.org.org_type, "paid_staff": "9" * 19}
    data |= {"volunteers": "1", "description": ""}
    page = client.post(reverse("organisations:edit", args=[world.org.slug]), data).content.decode()
    assert "There is a problem" in page
    assert "9223372036854775807" not in page and "2147483647" not in page and "Ensure this value" not in page
    assert "too large" in page


class AddsFieldsLater(GovukFormMixin, forms.Form):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notes"] = forms.CharField(label="Notes", max_length=10, widget=forms.Textarea(attrs={"rows": 3}))


def test_fields_a_form_adds_in_its_own_init_get_the_style_and_the_words():
    """Comments and notes boxes that forms add as they are made (an assessment's
    sections, targets) get the GOV.UK textarea style and the service's messages."""
    form = AddsFieldsLater({"notes": "far too long for it"})
    assert not form.is_valid()
    assert form.errors["notes"] == ["Notes must be 10 characters or fewer"]
    html = str(form["notes"])
    assert 'class="govuk-textarea govuk-textarea--error"' in html
    assert 'class="govuk-textarea"' in str(AddsFieldsLater()["notes"])
    assert AddsFieldsLater({}).errors["notes"] == ["Enter notes"]


def test_the_assessment_notes_box_has_the_govuk_textarea_style(world):
    from django.test import Client

    from personfirst.readiness.assessments import services as readiness_services
    from personfirst.readiness.assessments.models import Instrument
    from personfirst.readiness.assessments.tests.conftest import load_shipped

    load_shipped()
    assessment = readiness_services.start(
        organisation=world.org, instrument=Instrument.objects.get(key="health-check"), by=world.admin
    )
    section = assessment.version.sections.first()
    client = Client()
    client.force_login(world.admin)
    html = client.get(f"/organisations/{world.org.slug}/assessments/{assessment.pk}/sections/{section.key}/").content
    textareas = html.decode().split("<textarea")[1:]
    assert textareas
    assert all('class="govuk-textarea' in tag.split(">")[0] for tag in textareas)


def test_a_null_byte_in_a_choice_of_records_gets_the_services_words(world):
    """Django checks a model choice for NUL bytes itself, in its own words
    (found by tests/test_hostile_input.py on the sharing page)."""
    from personfirst.core.organisations.models import Organisation

    class Choose(GovukFormMixin, forms.Form):
        organisation = forms.ModelChoiceField(label="Organisation", queryset=Organisation.objects.all())
        several = forms.ModelMultipleChoiceField(label="Organisations", queryset=Organisation.objects.all())

    form = Choose({"organisation": "1\x00", "several": ["2\x00"]})
    assert not form.is_valid()
    assert form.errors["organisation"] == ["Select one of the options for organisation"]
    messages = [message for field_errors in form.errors.values() for message in field_errors]
    assert not set(messages) & DJANGO_DEFAULTS, messages
