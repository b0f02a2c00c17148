"""Application logs never carry patient identifiers (names, MRN), whatever the flow."""

import logging

import pytest
from django.test import Client

from conftest import password_of
from her2app.plans.models import PlanDocument
from tests.web.case_helpers import post_step
from tests.web.security_fixtures import (
    PATIENT_FAMILY,
    PATIENT_GIVEN,
    PATIENT_MRN,
    case_through_wizard,
    plan_through_forms,
)

IDENTIFIERS = (PATIENT_MRN, PATIENT_GIVEN, PATIENT_FAMILY, PATIENT_MRN.lower(), PATIENT_FAMILY.upper())


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def texts(self) -> list[str]:
        """Each record as a handler would write it (message, arguments and traceback), plus its extras."""
        return [f"{self.format(r)} {r.args!r} {vars(r)!r}" for r in self.records]


@pytest.fixture
def every_log_record():
    """Every logger at DEBUG, and a collector on the root and on each logger that does not propagate."""
    collector = Collect()
    loggers = [logging.getLogger()] + [
        logger for logger in logging.root.manager.loggerDict.values() if isinstance(logger, logging.Logger)
    ]
    saved = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    attached = [logger for logger in loggers if logger is logging.getLogger() or not logger.propagate]
    for logger in attached:
        logger.addHandler(collector)
    yield collector
    for logger in attached:
        logger.removeHandler(collector)
    for logger, level in saved:
        logger.setLevel(level)


def assert_no_identifiers(collector: Collect) -> None:
    assert collector.records, "the flow logged nothing at all: the collector is not attached"
    leaks = [text[:300] for text in collector.texts() if any(ident in text for ident in IDENTIFIERS)]
    assert not leaks, f"patient identifiers in the logs: {leaks}"


def test_wizard_plan_pdf_and_error_paths_log_no_identifiers(every_log_record, coordinator, oncologist, pharmacist,
                                                            nurse,
                                                            django_capture_on_commit_callbacks):
    desk, clinic, ward = Client(), Client(), Client()
    desk.force_login(coordinator)

    case = case_through_wizard(desk)
    post_step(desk, case, "fitness", weight_kg="oops", ecog="9")   # invalid step, re-rendered
    desk.get(f"/cases/?q={PATIENT_MRN}")
    desk.get(f"/cases/?q={PATIENT_FAMILY}")
    desk.get(f"/cases/{case.pk}/history/")
    desk.get(f"/plans/choose/{case.pk}/")                                   # 403: coordinators do not choose
    desk.get("/cases/999999/")                                              # 404

    assert clinic.post("/accounts/login/", {"username": "oliver", "password": "wrong"}).status_code == 200
    clinic.force_login(oncologist)
    with django_capture_on_commit_callbacks(execute=True):  # the PDF is rendered after the approval commits
        plan = plan_through_forms(clinic, case, password=password_of("oliver"))
    clinic.post(f"/plans/{plan.pk}/approve/", {"password": "wrong"})        # already approved
    document = PlanDocument.objects.get(plan=plan)
    assert clinic.get(f"/plans/documents/{document.pk}/").status_code == 200
    clinic.post(f"/plans/{plan.pk}/cancel/", {"reason": ""})               # 400: a reason is needed

    pharmacy = Client()
    pharmacy.force_login(pharmacist)
    assert pharmacy.get(f"/plans/{plan.pk}/verify/").status_code == 200
    pharmacy.post(f"/plans/{plan.pk}/verify/", {"password": "wrong"})      # 400: not the password
    with django_capture_on_commit_callbacks(execute=True):
        pharmacy.post(f"/plans/{plan.pk}/verify/", {"password": password_of("phil")})

    ward.force_login(nurse)
    assert ward.get("/plans/nurse/").status_code == 200
    assert ward.get(f"/plans/nurse/{plan.pk}/").status_code == 200
    assert ward.get(f"/plans/{plan.pk}/").status_code == 403
    ward.get("/", headers={"host": "not-our-host.example"})                # 400: disallowed host

    names_seen = {record.name for record in every_log_record.records}
    assert "django.request" in names_seen, "the 4xx responses were logged, so their text was checked"
    assert_no_identifiers(every_log_record)


def test_the_check_would_catch_a_leak(every_log_record):
    logging.getLogger("her2app.example").debug("patient %s seen", PATIENT_MRN)
    with pytest.raises(AssertionError, match="patient identifiers"):
        assert_no_identifiers(every_log_record)


def test_database_key_values_are_masked_in_the_console_log():
    """PostgreSQL names the duplicate value in an integrity error; the log shows the column only."""
    import io

    from django.db import IntegrityError

    console = next(h for h in logging.getLogger().handlers if any(
        type(f).__name__ == "MaskDatabaseKeyValues" for f in h.filters))
    stream = io.StringIO()
    old_stream = console.setStream(stream)
    try:
        try:
            raise IntegrityError(f'duplicate key value violates unique constraint\nDETAIL:  Key (mrn)=({PATIENT_MRN}) already exists.')
        except IntegrityError:
            logging.getLogger("her2app.example").exception("saving patient %s failed", 42)
        logging.getLogger("django.db.backends").error("DETAIL:  Key (mrn)=(%s) already exists.", PATIENT_MRN)
    finally:
        console.setStream(old_stream)
    written = stream.getvalue()
    assert "Key (mrn)=(…) already exists" in written and "saving patient 42 failed" in written
    assert PATIENT_MRN not in written


def test_template_debug_logs_keep_the_message_but_not_the_context(every_log_record, coordinator):
    from django.template import Context, Template

    Template("{{ patient.missing }}").render(Context({"patient": {"mrn": PATIENT_MRN}}))
    template_records = [r for r in every_log_record.records if r.name == "django.template"]
    assert template_records and "Exception while resolving variable" in template_records[0].getMessage()
    assert_no_identifiers(every_log_record)
