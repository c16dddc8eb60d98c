"""Every model PersonFirst defines is audited, or deliberately not, with a reason.

A new model that holds what people do must be added to audit/registry.py
(AUDITED, or ``registry.register`` from its app's ready()); one that must not
be audited goes in EXEMPT below, with the reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from auditlog.registry import auditlog
from django.apps import apps
from django.conf import settings

from personfirst.core.audit.registry import AUDITED

# label -> why changes to it are not recorded
EXEMPT: dict[str, str] = {
    "readiness.Instrument": "Loaded from the versioned instrument files (readiness/instruments) by load_instruments; "
    "those files and git are its history, and no one changes it through the service.",
    "readiness.InstrumentVersion": "Part of an instrument file: written once by load_instruments, never edited.",
    "readiness.Section": "Part of an instrument file: written once by load_instruments, never edited.",
    "readiness.Item": "Part of an instrument file: written once by load_instruments, never edited.",
    "readiness.InstrumentTranslation": "Loaded from an instrument's Welsh file (KEY.cy.yaml) by load_instruments; "
    "that file is the record of its changes.",
    "plans.Suggestion": "Part of an action library file (<instrument>.actions.yaml), loaded with its instrument "
    "version and never edited through the service.",
    "readiness.CrosswalkLink": "Loaded from readiness/instruments/crosswalk.yaml by load_instruments; that file and "
    "git are its history, and no one changes it through the service.",
    "readiness.CrosswalkItem": "Part of a crosswalk link, loaded from crosswalk.yaml by load_instruments.",
    # Area insight's counts: derived from submitted assessments (which are audited) and made again
    # by rebuild_insight; nobody changes them.
    "insight.Submission": "Derived from a submitted assessment; rebuild_insight makes it again.",
    "insight.Value": "Derived from a submitted assessment's answers; rebuild_insight makes it again.",
    "insight.NationalCell": "A count of insight.Submission rows; rebuild_insight makes it again.",
    "insight.NationalValue": "A count of insight.Value rows; rebuild_insight makes it again.",
    "insight.Snapshot": "A quarter's published figures, made once by publish_insight from insight.Submission "
    "rows (themselves derived from audited assessments) and never changed.",
    "insight.PieceCount": "Part of an insight.Snapshot, made once by publish_insight and never changed.",
    "insight.PieceValue": "Part of an insight.Snapshot, made once by publish_insight and never changed.",
    # The directory: a service's parts are written only by publishing.write, from an entry a
    # moderator published (directory.Submission and directory.Decision, which are audited, hold
    # the whole entry) or from an import run; they are replaced as a whole, never edited alone.
    "directory.Location": "Part of a published service, written from an audited submission or import.",
    "directory.Address": "Part of a published service, written from an audited submission or import.",
    "directory.Accessibility": "Part of a published service, written from an audited submission or import.",
    "directory.ServiceAtLocation": "Part of a published service, written from an audited submission or import.",
    "directory.ServiceArea": "Part of a published service, written from an audited submission or import.",
    "directory.Schedule": "Part of a published service, written from an audited submission or import.",
    "directory.Contact": "Part of a published service, written from an audited submission or import.",
    "directory.Phone": "Part of a published service, written from an audited submission or import.",
    "directory.Language": "Part of a published service, written from an audited submission or import.",
    "directory.Attribute": "Part of a published service, written from an audited submission or import.",
    "directory.Taxonomy": "The themes and national taxonomies, written from vocabulary.py and imports; "
    "their terms (directory.TaxonomyTerm) are audited.",
    "directory.Postcode": "Loaded from the postcode package by load_postcodes; public data, never edited.",
    "directory.PostcodeDataset": "Which postcode package was loaded, written by load_postcodes.",
    "search.Document": "The search index of a published service, made again from it whenever it is written.",
    "search.Point": "Where a published service is, for distance search; made again from its locations.",
    "accounts.RequestCount": "A throttling counter (accounts/throttling.py): a keyed hash and a number, "
    "deleted once its hour is over; no one changes it through the service.",
    # People's records: the reads are a log of their own, shown to the person.
    "people.RecordRead": "It is itself a log (who read a record, when, why), written once and never changed.",
    "people.ExceptionalAccess": "Written once when someone gives a reason to read a record; every read it allows "
    "is logged with the reason (people.RecordRead), which the person sees.",
    # RAS calibration (sds/calibration): an import is audited; its rows are written once with it.
    "calibration.CalibrationPackage": "Part of a calibration import (which is audited), written once in the "
    "transaction that makes it and never changed.",
    "calibration.CalibrationUpload": "A checked file waiting a day at most for its uploader to import it (an "
    "audited calibration.CalibrationImport) or give it up; it is never changed.",
}
NOT_OURS = {"demo"}  # the demo app only loads data through the other apps' models
SECRET_FIELD = re.compile(r"password|hash|secret|salt|(^|_)(api|private|access)_key($|_)|(^|_)token($|_)")


def local_models():
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base not in path.parents or ".venv" in path.parts or config.label in NOT_OURS:
            continue
        for model in config.get_models():
            if not model._meta.proxy:
                yield model


def test_there_are_local_models_to_check():
    labels = {model._meta.label for model in local_models()}
    assert {"accounts.User", "organisations.Organisation", "organisations.Invitation"} <= labels
    assert not any(label.startswith(("auth.", "auditlog.", "axes.", "sessions.")) for label in labels)


def unaccounted() -> list[str]:
    return [
        model._meta.label
        for model in local_models()
        if model._meta.label not in AUDITED and model._meta.label not in EXEMPT
    ]


def test_a_model_left_out_of_the_registry_is_caught(monkeypatch):
    assert "organisations.AccessGrant" not in unaccounted()
    monkeypatch.delitem(AUDITED, "organisations.AccessGrant")
    assert "organisations.AccessGrant" in unaccounted()


def test_every_local_model_is_audited_or_exempt_with_a_reason():
    missing = unaccounted()
    assert not missing, (
        f"{missing}: register these in audit/registry.py, or add them to EXEMPT in {__file__} with the reason"
    )


def test_exemptions_are_real_and_explained():
    local = {model._meta.label for model in local_models()}
    for label, reason in EXEMPT.items():
        if label.split(".")[0] not in {config.label for config in apps.get_app_configs()}:
            continue
        assert label in local, f"{label} is exempt but no longer exists: remove it from EXEMPT"
        assert label not in AUDITED, f"{label} is both audited and exempt"
        assert len(reason) > 20


@pytest.mark.parametrize("label", sorted(AUDITED))
def test_every_audited_model_is_registered_with_its_exclusions(label):
    model = apps.get_model(label)
    assert auditlog.contains(model), f"{label} is in AUDITED but not registered with auditlog"
    registered = set(auditlog.get_model_fields(model)["exclude_fields"])
    assert set(AUDITED[label]) <= registered


@pytest.mark.parametrize("label", sorted(AUDITED))
def test_secrets_are_excluded(label):
    model = apps.get_model(label)
    excluded = set(auditlog.get_model_fields(model)["exclude_fields"])
    secret_looking = {field.name for field in model._meta.concrete_fields if SECRET_FIELD.search(field.name)}
    assert secret_looking <= excluded, (
        f"{label}: {sorted(secret_looking - excluded)} would be copied into the audit trail"
    )


def test_the_secret_pattern_catches_the_secrets_we_know():
    for name in ("password", "key_hash", "token_hash", "api_key", "secret", "token", "access_token", "salt"):
        assert SECRET_FIELD.search(name)
    for name in ("monkey", "tokens_used", "name", "organisation", "item_key", "instrument_key", "key"):
        assert not SECRET_FIELD.search(name)


def test_organisation_scoped_models_say_which_organisation():
    """Anything with an organisation must put it in the log entry, or its
    organisation's admins cannot read its trail."""
    for label in AUDITED:
        model = apps.get_model(label)
        names = {field.name for field in model._meta.get_fields()}
        if "organisation" in names or label == "organisations.Organisation":
            assert callable(getattr(model, "get_additional_data", None)), f"{label} has no get_additional_data"
