"""Reads an EHR's FHIR R4 Bundle into the values the case wizard records.

Pure parsing: nothing here touches the database. read_bundle() either returns
a Reading (every value with the resource and date it came from, and a list of
what it did not use) or raises BundleError with a message for the coordinator.

What it refuses (nothing is imported then): more than FHIR_IMPORT_MAX_BYTES,
text that is not UTF-8 JSON (or repeats a key), nesting deeper than
MAX_DEPTH, anything but a Bundle, entries that are not FHIR resources, no or
several patients, and a value it cannot read for a marker or measurement it
recognises (an IHC score of "4+", a weight in stones): a half-read result is
worse than none. Resources and codes it does not use are listed, never
dropped silently.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from fhir.resources.R4B import get_fhir_model_class

from her2app.cases.models import MAX_TREATMENT_LINES, RAS_EXONS, Case, ClinicalStatus, MarkerMethod, MolecularProfile
from her2app.interop import codes
from regimens import catalogue, vocabulary

MAX_DEPTH = 40
MAX_ENTRIES = 2000
MRN_TYPE = (codes.TERMINOLOGY + "v2-0203", "MR")
READ_TYPES = ("Patient", "Condition", "Observation", "MedicationStatement", "MedicationAdministration")


class BundleError(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Source:
    """The resource a value came from, and the date that resource gives for it."""

    reference: str
    on: date | None = None


@dataclass(frozen=True)
class ImportedField:
    step: str
    field: str
    value: object
    shown: str
    source: Source


@dataclass(frozen=True)
class ImportedLine:
    agents: tuple[str, ...]
    start_date: date | None
    end_date: date | None
    sources: tuple[Source, ...]

    @property
    def shown(self) -> str:
        return ", ".join(vocabulary.agent_label(agent) for agent in self.agents)


@dataclass(frozen=True)
class Unrecognised:
    reference: str
    reason: str


@dataclass
class Reading:
    fields: list[ImportedField] = field(default_factory=list)
    lines: list[ImportedLine] = field(default_factory=list)
    unrecognised: list[Unrecognised] = field(default_factory=list)

    def values(self, step: str) -> dict[str, object]:
        return {item.field: item.value for item in self.fields if item.step == step}

    def add(self, step: str, name: str, value, shown: str, source: Source) -> None:
        self.fields.append(ImportedField(step, name, value, shown, source))

    def skip(self, reference: str, reason: str) -> None:
        self.unrecognised.append(Unrecognised(reference, reason))


# --- parsing ---------------------------------------------------------------
def check_size(size: int) -> None:
    limit = settings.FHIR_IMPORT_MAX_BYTES
    if size > limit:
        raise BundleError(f"The bundle is {_megabytes(size)}; the largest accepted is {_megabytes(limit)}.")


def read_bundle(raw: bytes) -> Reading:
    check_size(len(raw))
    bundle = _parse_json(raw)
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        kind = bundle.get("resourceType") if isinstance(bundle, dict) else type(bundle).__name__
        raise BundleError(f"This is {'a ' + str(kind) if kind else 'JSON without a resourceType'}, not a FHIR Bundle.")
    resources = _entries(bundle)
    reading = Reading()
    by_type: dict[str, list[tuple[str, dict]]] = {}
    for reference, resource in resources:
        kind = resource["resourceType"]
        if kind in READ_TYPES:
            by_type.setdefault(kind, []).append((reference, resource))
        else:
            reading.skip(reference, f"{kind} is not something the planner imports")
    _read_patient(by_type.get("Patient", []), reading)
    _read_conditions(by_type.get("Condition", []), reading)
    _read_observations(by_type.get("Observation", []), reading)
    statements = by_type.get("MedicationStatement", []) + by_type.get("MedicationAdministration", [])
    _read_prior_therapy(statements, reading)
    return reading


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def _parse_json(raw: bytes):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BundleError("The file is not UTF-8 text; a FHIR JSON bundle is.") from None
    try:
        data = json.loads(text, object_pairs_hook=_no_repeated_keys, parse_constant=_no_constant)
    except RecursionError:
        raise BundleError(f"The bundle is nested more than {MAX_DEPTH} levels deep; it is not a FHIR bundle.") from None
    except json.JSONDecodeError as error:
        raise BundleError(f"This is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}).") from None
    if _depth(data) > MAX_DEPTH:
        raise BundleError(f"The bundle is nested more than {MAX_DEPTH} levels deep; it is not a FHIR bundle.")
    return data


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    found = {}
    for key, value in pairs:
        if key in found:
            raise BundleError(f'The key "{key[:40]}" appears twice in one object; the bundle is ambiguous.')
        found[key] = value
    return found


def _no_constant(name: str):
    raise BundleError(f"{name} is not a JSON number.")


def _depth(data) -> int:
    deepest, stack = 0, [(data, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _entries(bundle: dict) -> list[tuple[str, dict]]:
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise BundleError("Bundle.entry must be a list of entries.")
    if len(entries) > MAX_ENTRIES:
        raise BundleError(f"The bundle has {len(entries)} entries; at most {MAX_ENTRIES} are read.")
    found = []
    for number, entry in enumerate(entries, start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        if not isinstance(kind, str) or not _is_fhir_type(kind):
            raise BundleError(f"Entry {number} is not a FHIR R4 resource (resource type {str(kind)[:40]!r}).")
        found.append((f"{kind}/{str(resource.get('id') or f'entry-{number}')[:64]}", resource))
    return found


def _is_fhir_type(kind: str) -> bool:
    if not re.fullmatch(r"[A-Z][A-Za-z]{1,63}", kind):
        return False
    try:
        get_fhir_model_class(kind)
    except (KeyError, ValueError, AttributeError, ImportError):
        return False
    return True


# --- small readers ------------------------------------------------------------
def _text(value, limit: int = 200) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _date(value, where: str) -> date | None:
    """A FHIR date or dateTime's calendar date; partial dates are refused, future ones too."""
    if value in (None, ""):
        return None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(T[0-9:.+\-Z]*)?", value) if isinstance(value, str) else None
    try:
        day = date.fromisoformat(match.group(1)) if match else None
    except ValueError:
        day = None
    if day is None:
        raise BundleError(f"{where}: {str(value)[:40]!r} is not a full date (YYYY-MM-DD).")
    if day > date.today():
        raise BundleError(f"{where}: the date {day.isoformat()} is in the future.")
    return day


def _codings(concept) -> list[tuple[str, str]]:
    if not isinstance(concept, dict):
        return []
    return [(c.get("system", ""), c.get("code", "")) for c in concept.get("coding") or [] if isinstance(c, dict)]


def _concept_words(concept) -> list[str]:
    """A CodeableConcept's text and its codings' displays, lower case."""
    if not isinstance(concept, dict):
        return []
    words = [_text(concept.get("text"))]
    words += [_text(c.get("display")) for c in concept.get("coding") or [] if isinstance(c, dict)]
    return [word.lower() for word in words if word]


def _has_code(concept, code: codes.Code) -> bool:
    return (code.system, code.code) in _codings(concept)


def _effective(resource: dict, where: str) -> date | None:
    period = resource.get("effectivePeriod") if isinstance(resource.get("effectivePeriod"), dict) else {}
    return _date(resource.get("effectiveDateTime") or period.get("start") or resource.get("issued"), where)


def _number(value, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise BundleError(f"{where}: {str(value)[:40]!r} is not a number.")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise BundleError(f"{where}: {str(value)[:40]!r} is not a number.") from None


def _in_range(value: Decimal, path: str, where: str) -> Decimal:
    limit = catalogue.INPUT_LIMITS[path]
    if not limit.low <= value <= limit.high:
        raise BundleError(f"{where}: {value} is outside {limit.low}-{limit.high}.")
    return value


def _quantity(resource: dict, unit: str, where: str) -> Decimal:
    quantity = resource.get("valueQuantity")
    if not isinstance(quantity, dict):
        raise BundleError(f"{where}: no valueQuantity.")
    if quantity.get("code", quantity.get("unit")) != unit:
        raise BundleError(f"{where}: unit {str(quantity.get('code') or quantity.get('unit'))[:20]!r}; only {unit} is read.")
    return _number(quantity.get("value"), where)


# --- Patient -------------------------------------------------------------------
def _read_patient(patients: list[tuple[str, dict]], reading: Reading) -> None:
    if len(patients) != 1:
        raise BundleError("The bundle has no Patient." if not patients else
                          f"The bundle describes {len(patients)} patients; import one patient's bundle at a time.")
    reference, patient = patients[0]
    source = Source(reference)
    mrn = _mrn(patient)
    if not mrn:
        raise BundleError(f"{reference} has no MRN: an identifier with system {settings.FHIR_MRN_SYSTEM} or type MR.")
    names = [name for name in patient.get("name") or [] if isinstance(name, dict)]
    name = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    given = next((_text(g, 100) for g in name.get("given") or [] if _text(g)), "")
    family = _text(name.get("family"), 100)
    if not (given and family):
        raise BundleError(f"{reference} needs a family and a given name.")
    born = _date(patient.get("birthDate"), f"{reference} birth date")
    if born is None:
        raise BundleError(f"{reference} has no birth date.")
    sex = patient.get("gender")
    if sex not in ("female", "male", "other", "unknown"):
        raise BundleError(f"{reference}: gender {str(sex)[:20]!r} is not a FHIR administrative gender.")
    for name_, value, shown in (("mrn", mrn, mrn), ("given_name", given, given), ("family_name", family, family),
                                ("date_of_birth", born, born.isoformat()), ("sex", sex, sex.capitalize())):
        reading.add("patient", name_, value, shown, source)


def _mrn(patient: dict) -> str:
    identifiers = [i for i in patient.get("identifier") or [] if isinstance(i, dict) and _text(i.get("value"))]
    for identifier in identifiers:
        if identifier.get("system") == settings.FHIR_MRN_SYSTEM:
            return _text(identifier["value"], 32)
    for identifier in identifiers:
        if MRN_TYPE in _codings(identifier.get("type")):
            return _text(identifier["value"], 32)
    return ""


# --- Condition -----------------------------------------------------------------
def _read_conditions(conditions: list[tuple[str, dict]], reading: Reading) -> None:
    used = False
    for reference, condition in conditions:
        site = _primary_site(condition)
        if site is None or used:
            reading.skip(reference, "not a colorectal primary cancer the planner recognises" if site is None
                         else "a second cancer condition; the first one was imported")
            continue
        used = True
        source = Source(reference, _date(condition.get("recordedDate"), f"{reference} recorded date"))
        labels = dict(Case._meta.get_field("primary_site").choices)
        reading.add("tumour", "primary_site", site, labels.get(site, site), source)
        summaries = [word for stage in condition.get("stage") or [] if isinstance(stage, dict)
                     for word in _concept_words(stage.get("summary"))]
        if summaries:
            metastatic = any("metastatic" in word or "stage iv" in word for word in summaries)
            reading.add("tumour", "metastatic", metastatic, "Yes" if metastatic else "No", source)
        _read_histology(condition, source, reading)


def _read_histology(condition: dict, source: Source, reading: Reading) -> None:
    """mCODE HistologyMorphologyBehavior, by its codes (or its text) as the export writes them."""
    for extension in condition.get("extension") or []:
        if not isinstance(extension, dict) or extension.get("url") != codes.HISTOLOGY_EXTENSION:
            continue
        value = extension.get("valueCodeableConcept")
        for key, (text, coded) in codes.HISTOLOGY.items():
            if any(_has_code(value, code) for code in coded) or text.lower() in _concept_words(value):
                reading.add("tumour", "histology", key, text, source)
                return
        reading.skip(source.reference, "a histology the planner does not record")


def _primary_site(condition: dict) -> str | None:
    """left_colon, right_colon, rectum, 'unknown' for a colorectal cancer of unknown side, else None."""
    body_sites = [site for site in condition.get("bodySite") or [] if isinstance(site, dict)]
    for site in codes.PRIMARY_SITES.values():
        for body in body_sites:
            sides = [_codings(e.get("valueCodeableConcept")) for e in body.get("extension") or []
                     if isinstance(e, dict) and e.get("url") == codes.LATERALITY_EXTENSION]
            side_ok = site.laterality is None or [(site.laterality.system, site.laterality.code)] in sides
            if _has_code(body, site.body_site) and side_ok:
                return site.key
    code = condition.get("code")
    if _has_code(code, codes.PRIMARY_RECTUM) or _has_code(code, codes.ICD10_RECTUM):
        return "rectum"
    if _has_code(code, codes.PRIMARY_COLON) or _has_code(code, codes.ICD10_COLON):
        return "unknown"  # colon, side not given
    return None


# --- Observations -------------------------------------------------------------
MUTATION_WORDS = {"wild type": "wild_type", "wild-type": "wild_type", "not detected": "wild_type",
                  "mutant": "mutant", "mutated": "mutant", "detected": "mutant"}
GENE_WORDS = {**MUTATION_WORDS, "unknown": "unknown"}  # KRAS or NRAS: one gene may be untested
MSI_WORDS = {"mss": "mss", "stable": "mss", "microsatellite stable": "mss", "msi-high": "msi_high",
             "msi-h": "msi_high", "high": "msi_high"}
IHC_SCORES = set(catalogue.IHC_SCORES)
ISH_WORDS = {"amplified": "amplified", "not amplified": "not_amplified"}


def _read_observations(observations: list[tuple[str, dict]], reading: Reading) -> None:
    newest: dict[str, tuple[date | None, str, dict]] = {}
    for reference, observation in observations:
        kind = _observation_kind(observation)
        if kind is None:
            name = ", ".join(_concept_words(observation.get("code")))[:80] or "without a code"
            reading.skip(reference, f"observation {name!r} is not one the planner records")
            continue
        if observation.get("status") in ("entered-in-error", "cancelled"):
            reading.skip(reference, f"status {observation['status']}")
            continue
        on = _effective(observation, reference)
        kept = newest.get(kind)
        if kept and (kept[0] or date.min) >= (on or date.min):
            reading.skip(reference, f"an older {kind} result; the newest one was imported")
            continue
        if kept:
            reading.skip(kept[1], f"an older {kind} result; the newest one was imported")
        newest[kind] = (on, reference, observation)
    for kind, (on, reference, observation) in newest.items():
        OBSERVATION_READERS[kind](observation, Source(reference, on), reading)


def _observation_kind(observation: dict) -> str | None:
    code = observation.get("code")
    for kind, coded in (("HER2", codes.HER2), ("RAS", codes.RAS), ("BRAF", codes.BRAF_V600E_BY_IHC),
                        ("MSI", codes.MSI), ("ECOG", codes.ECOG), ("body weight", codes.BODY_WEIGHT),
                        ("body height", codes.BODY_HEIGHT), ("LVEF", codes.LVEF)):
        if _has_code(code, coded):
            return kind
    words = _concept_words(code)
    if "braf v600e mutation status" in words:
        return "BRAF"
    return next((name for name, text in codes.SAFETY_FACT_TEXTS.items() if text.lower() in words), None)


def _value_word(observation: dict, words: dict[str, str], where: str) -> str:
    value = observation.get("valueCodeableConcept") or {"text": observation.get("valueString")}
    for word in _concept_words(value):
        if word in words:
            return words[word]
    raise BundleError(f"{where}: the result {', '.join(_concept_words(value))[:60]!r} is not one the planner reads"
                      f" ({', '.join(sorted(set(words)))}).")


def _read_marker_test(marker: str, observation: dict, source: Source, reading: Reading) -> None:
    """The marker's own test: method, laboratory (note) and date."""
    method = _text((observation.get("method") or {}).get("text"))
    methods = {label.lower(): key for key, label in MarkerMethod.choices}
    if method.lower() in methods:
        reading.add("tumour", f"{marker}_method", methods[method.lower()], method, source)
    if source.on:
        reading.add("tumour", f"{marker}_test_date", source.on, source.on.isoformat(), source)
    for note in observation.get("note") or []:
        for part in _text((note or {}).get("text"), 500).split("; "):
            if part.startswith("Laboratory: "):
                lab = part.removeprefix("Laboratory: ")[:200]
                reading.add("tumour", f"{marker}_laboratory", lab, lab, source)


def _read_braf(observation: dict, source: Source, reading: Reading) -> None:
    value = _value_word(observation, MUTATION_WORDS, source.reference)
    reading.add("tumour", "braf_v600e", value, value.replace("_", " ").capitalize(), source)
    _read_marker_test("braf", observation, source, reading)


def _read_ras(observation: dict, source: Source, reading: Reading) -> None:
    """KRAS and NRAS (and the exons tested) from the components; a combined RAS result alone is listed, not
    guessed at: the planner records the two genes separately."""
    found = False
    for component in observation.get("component") or []:
        name = " ".join(_concept_words(component.get("code") if isinstance(component, dict) else None))
        if name in ("kras", "nras"):
            value = _value_word(component, GENE_WORDS, source.reference)
            reading.add("tumour", name, value, value.replace("_", " ").capitalize(), source)
            found = True
        elif name in ("kras exons tested", "nras exons tested"):
            exons = sorted({int(part) for part in re.findall(r"\d+", _text(component.get("valueString"), 40))
                            if int(part) in RAS_EXONS})
            reading.add("tumour", f"{name[:4]}_exons", exons, ", ".join(map(str, exons)), source)
    if not found:
        reading.skip(source.reference, "a combined RAS result without KRAS and NRAS: record each gene in the "
                     "tumour step")
        return
    _read_marker_test("ras", observation, source, reading)


def _read_msi(observation: dict, source: Source, reading: Reading) -> None:
    value = _value_word(observation, MSI_WORDS, source.reference)
    reading.add("tumour", "msi", value, {"mss": "MSS", "msi_high": "MSI-high"}[value], source)
    _read_marker_test("msi", observation, source, reading)


def _read_her2(observation: dict, source: Source, reading: Reading) -> None:
    """The raw results (components); the interpretation is the engine's to make again."""
    found = False
    for component in observation.get("component") or []:
        name = " ".join(_concept_words(component.get("code") if isinstance(component, dict) else None))
        reader = HER2_COMPONENTS.get(name)
        if reader is None:
            reading.skip(source.reference, f"HER2 component {name[:60] or 'without a code'!r} is not one the planner reads")
            continue
        reader(component, source, reading)
        found = True
    if not found:
        reading.skip(source.reference, "a HER2 interpretation without its IHC, ISH or NGS results: "
                     "enter the results in the tumour step")
        return
    method = _text((observation.get("method") or {}).get("text"))
    methods = {label.lower(): key for key, label in MolecularProfile.Method.choices}
    if method.lower() in methods:
        reading.add("tumour", "test_method", methods[method.lower()], method, source)
    if source.on:
        reading.add("tumour", "test_date", source.on, source.on.isoformat(), source)
    for note in observation.get("note") or []:
        for part in _text((note or {}).get("text"), 500).split("; "):
            for label, name in (("Laboratory: ", "laboratory"), ("Specimen: ", "specimen")):
                if part.startswith(label):
                    reading.add("tumour", name, part.removeprefix(label)[:200], part.removeprefix(label)[:200], source)


def _ihc(component, source, reading):
    score = _text((component.get("valueCodeableConcept") or {}).get("text"))
    if score not in IHC_SCORES:
        raise BundleError(f"{source.reference}: HER2 IHC score {score[:20]!r} is not one of {', '.join(sorted(IHC_SCORES))}.")
    reading.add("tumour", "her2_ihc", score, score, source)


def _ihc_percent(component, source, reading):
    value = _in_range(_number((component.get("valueQuantity") or {}).get("value"), source.reference),
                      "her2.ihc_percent_cells", f"{source.reference} HER2 IHC % of cells")
    if value != value.to_integral_value():
        raise BundleError(f"{source.reference}: HER2 IHC % of cells {value} is not a whole number.")
    reading.add("tumour", "her2_ihc_percent_cells", int(value), f"{int(value)}%", source)


def _ish(component, source, reading):
    value = _value_word(component, ISH_WORDS, f"{source.reference} HER2 ISH result")
    reading.add("tumour", "her2_ish", value, value.replace("_", " ").capitalize(), source)


def _ish_ratio(component, source, reading):
    value = _in_range(_number((component.get("valueQuantity") or {}).get("value"), source.reference),
                      "her2.ish_ratio", f"{source.reference} HER2:CEP17 ratio")
    reading.add("tumour", "her2_ish_ratio", value, str(value), source)


def _ngs_amplified(component, source, reading):
    value = component.get("valueBoolean")
    if not isinstance(value, bool):
        raise BundleError(f"{source.reference}: ERBB2 amplification by NGS must be true or false.")
    reading.add("tumour", "ngs_erbb2_amplified", value, "Yes" if value else "No", source)


def _ngs_copies(component, source, reading):
    value = _number((component.get("valueQuantity") or {}).get("value"), f"{source.reference} ERBB2 copy number")
    if value < 0 or value >= 10000:
        raise BundleError(f"{source.reference}: ERBB2 copy number {value} is out of range.")
    reading.add("tumour", "ngs_copy_number", value, str(value), source)


HER2_COMPONENTS = {
    "her2 ihc score": _ihc,
    "her2 ihc stained tumour cells": _ihc_percent,
    "her2 ish result": _ish,
    "her2:cep17 ratio by ish": _ish_ratio,
    "erbb2 amplification by ngs": _ngs_amplified,
    "erbb2 copy number by ngs": _ngs_copies,
}


def _read_ecog(observation, source, reading):
    value = observation.get("valueInteger")
    low, high = catalogue.ECOG_RANGE
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise BundleError(f"{source.reference}: ECOG {str(value)[:10]!r} is not a whole number {low}-{high}.")
    reading.add("fitness", "ecog", value, str(value), source)


def _read_weight(observation, source, reading):
    value = _in_range(_quantity(observation, "kg", f"{source.reference} body weight"), "patient.weight_kg",
                      f"{source.reference} body weight")
    reading.add("fitness", "weight_kg", value, f"{value} kg", source)
    if source.on:
        reading.add("fitness", "weight_date", source.on, source.on.isoformat(), source)


def _read_height(observation, source, reading):
    value = _in_range(_quantity(observation, "cm", f"{source.reference} body height"), "patient.height_cm",
                      f"{source.reference} body height")
    reading.add("fitness", "height_cm", value, f"{value} cm", source)


def _read_lvef(observation, source, reading):
    value = _in_range(_quantity(observation, "%", f"{source.reference} LVEF"), "lvef_percent", f"{source.reference} LVEF")
    if value != value.to_integral_value():
        raise BundleError(f"{source.reference}: LVEF {value}% is not a whole number of percent.")
    reading.add("fitness", "lvef_percent", int(value), f"{int(value)}%", source)
    if source.on:
        reading.add("fitness", "lvef_date", source.on, source.on.isoformat(), source)


def _read_safety_fact(name: str):
    def read(observation, source, reading):
        if name == "hepatic_impairment":
            labels = {label.lower(): key for key, label in ClinicalStatus._meta.get_field(name).choices if key}
            value = _value_word(observation, labels, source.reference)
            reading.add("fitness", name, value, dict(ClinicalStatus._meta.get_field(name).choices)[value], source)
            return
        value = observation.get("valueBoolean")
        if not isinstance(value, bool):
            raise BundleError(f"{source.reference}: {codes.SAFETY_FACT_TEXTS[name]} must be true or false.")
        reading.add("fitness", name, value, "Yes" if value else "No", source)
    return read


OBSERVATION_READERS = {
    "HER2": _read_her2,
    "RAS": _read_ras,
    "BRAF": _read_braf,
    "MSI": _read_msi,
    "ECOG": _read_ecog,
    "body weight": _read_weight,
    "body height": _read_height,
    "LVEF": _read_lvef,
    **{name: _read_safety_fact(name) for name in codes.SAFETY_FACT_TEXTS},
}


# --- prior therapy -------------------------------------------------------------
# Names (lower case) -> the engine's agent; longer names first, so a conjugate is
# never read as plain trastuzumab. Drugs are matched by name: no RxNorm code is verified.
AGENT_NAMES = sorted({
    **{label.lower(): agent for agent, label in vocabulary.AGENT_LABELS.items() if agent != "other"},
    **{name.lower(): agent for agent, name in vocabulary.DRUG_NAMES.items()},
    "fluoropyrimidine": "fluoropyrimidine", "fluorouracil": "fluoropyrimidine", "5-fu": "fluoropyrimidine",
    "capecitabine": "fluoropyrimidine", "oxaliplatin": "oxaliplatin", "irinotecan": "irinotecan",
    "bevacizumab": "bevacizumab", "cetuximab": "anti_egfr", "panitumumab": "anti_egfr",
    "trastuzumab": "trastuzumab", "pertuzumab": "pertuzumab", "lapatinib": "lapatinib", "tucatinib": "tucatinib",
    "trastuzumab deruxtecan": "trastuzumab_deruxtecan", "enhertu": "trastuzumab_deruxtecan",
    "trastuzumab emtansine": "trastuzumab_emtansine", "kadcyla": "trastuzumab_emtansine",
    "pembrolizumab": "immunotherapy", "nivolumab": "immunotherapy", "ipilimumab": "immunotherapy",
    "dostarlimab": "immunotherapy",
}.items(), key=lambda item: -len(item[0]))


def agent_for(words: list[str]) -> str | None:
    for word in words:
        for name, agent in AGENT_NAMES:
            if re.search(rf"(^|[^a-z0-9]){re.escape(name)}($|[^a-z0-9])", word):
                return agent
    return None


def _read_prior_therapy(statements: list[tuple[str, dict]], reading: Reading) -> None:
    """One treatment line per period (start and end); undated statements share one line."""
    lines: dict[tuple[date | None, date | None], list[tuple[str, Source]]] = {}
    for reference, statement in statements:
        if statement.get("status") in ("entered-in-error", "not-taken", "not-done", "intended"):
            reading.skip(reference, f"status {statement.get('status')}: not a therapy the patient received")
            continue
        agent = agent_for(_concept_words(statement.get("medicationCodeableConcept")))
        if agent is None:
            words = ", ".join(_concept_words(statement.get("medicationCodeableConcept")))[:80]
            reading.skip(reference, f"medication {words or 'without a name'!r} is not one the planner records")
            continue
        period = statement.get("effectivePeriod") if isinstance(statement.get("effectivePeriod"), dict) else {}
        start = _date(period.get("start") or statement.get("effectiveDateTime"), f"{reference} start")
        end = _date(period.get("end"), f"{reference} end")
        lines.setdefault((start, end), []).append((agent, Source(reference, start)))
    ordered = sorted(lines.items(), key=lambda item: (item[0][0] is None, item[0][0] or date.min))
    for (start, end), found in ordered[:MAX_TREATMENT_LINES]:
        agents = tuple(dict.fromkeys(agent for agent, _ in found))
        reading.lines.append(ImportedLine(agents, start, end, tuple(source for _, source in found)))
    for _, found in ordered[MAX_TREATMENT_LINES:]:
        for _, source in found:
            reading.skip(source.reference, "more treatment lines than a case can record")

