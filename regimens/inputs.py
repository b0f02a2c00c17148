"""Input of the CLI contract v1: frozen dataclasses validated by pydantic.

One pydantic TypeAdapter is built at import; `parse_case` turns a JSON-ready
dict into a `CaseInput` or raises `InvalidInput` with a dotted field path and
a message a person can act on (ranges from S9, vocabularies from design.md).
"""

import json
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, Strict, StrictBool, TypeAdapter, ValidationError

from regimens import catalogue as cat

_CONFIG = ConfigDict(extra="forbid")


class InvalidInput(ValueError):
    """The engine's input breaks the contract; `field` is the dotted path of the bad value."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _limited(path: str) -> Any:
    limit = cat.INPUT_LIMITS[path]
    return Annotated[
        float | None,
        Strict(),
        Field(ge=limit.low, le=limit.high, allow_inf_nan=False, description=f"{limit.unit} ({limit.ref})"),
    ]


IhcScore = Literal[cat.IHC_SCORES]
IshResult = Literal[cat.ISH_RESULTS]
MutationStatus = Literal[cat.MUTATION_STATUSES]
Agent = Literal[cat.PRIOR_THERAPY_AGENTS]


@dataclass(frozen=True)
class PatientInput:
    __pydantic_config__ = _CONFIG
    weight_kg: _limited("patient.weight_kg") = None
    height_cm: _limited("patient.height_cm") = None
    age: Annotated[int | None, Strict(), Field(ge=0)] = None
    sex: Literal[cat.SEXES] | None = None
    pregnant: StrictBool | None = None
    breastfeeding: StrictBool | None = None
    benzyl_alcohol_hypersensitivity: StrictBool | None = None  # D7: the multi-dose vial is then single-use


@dataclass(frozen=True)
class TumourInput:
    __pydantic_config__ = _CONFIG
    primary_site: Literal[cat.PRIMARY_SITES] | None = None
    metastatic: StrictBool | None = None


@dataclass(frozen=True)
class Her2Input:
    __pydantic_config__ = _CONFIG
    ihc: IhcScore | None = None
    ihc_percent_cells: _limited("her2.ihc_percent_cells") = None
    ish: IshResult | None = None
    ish_ratio: _limited("her2.ish_ratio") = None
    ngs_erbb2_amplified: StrictBool | None = None
    ngs_copy_number: Annotated[float | None, Strict(), Field(ge=0, allow_inf_nan=False)] = None

    @property
    def ish_result(self) -> str | None:
        """ISH result from `ish`, or from `ish_ratio` (>= 2.0 amplified, H1) when only the ratio is given."""
        if self.ish is not None:
            return self.ish
        if self.ish_ratio is None:
            return None
        return "amplified" if self.ish_ratio >= cat.ISH_AMPLIFIED_MIN_RATIO else "not_amplified"


@dataclass(frozen=True)
class CaseInput:
    __pydantic_config__ = _CONFIG
    patient: PatientInput = PatientInput()
    tumour: TumourInput = TumourInput()
    her2: Her2Input = Her2Input()
    ras: MutationStatus | None = "unknown"
    braf_v600e: MutationStatus | None = "unknown"
    msi: Literal[cat.MSI_STATUSES] | None = "unknown"
    prior_therapies: tuple[Agent, ...] | None = None  # null or absent: the treatment history is unknown
    fit_for_intensive_therapy: StrictBool | None = None
    ecog: Annotated[int | None, Strict(), Field(ge=cat.ECOG_RANGE[0], le=cat.ECOG_RANGE[1])] = None
    lvef_percent: _limited("lvef_percent") = None
    ild_history: StrictBool | None = None
    hepatic_impairment: Literal[cat.HEPATIC_IMPAIRMENT] | None = None
    strong_cyp2c8_inhibitor: StrictBool | None = None

    @property
    def prior(self) -> frozenset[str]:
        """Prior therapies; an unknown history counts as none given (and is listed as missing data)."""
        return frozenset(self.prior_therapies or ())

    @property
    def history_unknown(self) -> bool:
        return self.prior_therapies is None


_ADAPTER = TypeAdapter(CaseInput)
_NESTED = ("patient", "tumour", "her2")


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(values)


def _field_messages() -> dict[str, str]:
    messages = {
        path: f"{path} must be a number between {limit.low:g} and {limit.high:g}"
        for path, limit in cat.INPUT_LIMITS.items()
    }
    for path in ("patient.pregnant", "patient.breastfeeding", "patient.benzyl_alcohol_hypersensitivity",
                 "tumour.metastatic", "her2.ngs_erbb2_amplified", "fit_for_intensive_therapy", "ild_history",
                 "strong_cyp2c8_inhibitor"):
        messages[path] = f"{path} must be true, false or null"
    vocabularies = {
        "patient.sex": cat.SEXES,
        "tumour.primary_site": cat.PRIMARY_SITES,
        "her2.ihc": cat.IHC_SCORES,
        "her2.ish": cat.ISH_RESULTS,
        "ras": cat.MUTATION_STATUSES,
        "braf_v600e": cat.MUTATION_STATUSES,
        "msi": cat.MSI_STATUSES,
        "hepatic_impairment": cat.HEPATIC_IMPAIRMENT,
    }
    for path, values in vocabularies.items():
        messages[path] = f"{path} must be one of {_choices(values)} or null"
    messages["patient.age"] = "patient.age must be a whole number of years (0 or more) or null"
    messages["her2.ngs_copy_number"] = "her2.ngs_copy_number must be a number of 0 or more, or null"
    messages["ecog"] = f"ecog must be a whole number between {cat.ECOG_RANGE[0]} and {cat.ECOG_RANGE[1]} or null"
    messages["prior_therapies"] = (
        f"prior_therapies must be null or a list of agents from: {_choices(cat.PRIOR_THERAPY_AGENTS)}"
    )
    for path in _NESTED:
        messages[path] = f"{path} must be an object or null"
    return messages


FIELD_MESSAGES = _field_messages()


class OverlongNumber:
    """A JSON integer with more digits than Python converts (the CLI's parse_int gives this instead of
    failing the whole document), so validation names the field it was given for."""

    def __init__(self, digits: int) -> None:
        self.digits = digits


def _invalid_from(error: ValidationError) -> InvalidInput:
    first = error.errors(include_url=False, include_context=False)[0]
    loc = [str(part) for part in first["loc"] if not isinstance(part, int)]
    path = ".".join(loc)
    if isinstance(first.get("input"), OverlongNumber) and path:
        return InvalidInput(path, f"{path} is a number {first['input'].digits} digits long; "
                                  f"{FIELD_MESSAGES.get(path, 'give a value this field accepts')}")
    if first["type"] in ("unexpected_keyword_argument", "extra_forbidden"):
        # An unknown key is the caller's text: show it escaped so the message stays one line.
        path = ".".join(loc[:-1] + [json.dumps(loc[-1])[1:-1]]) if loc else path
        return InvalidInput(path, f"{path} is not a field of the input (contract v1)")
    if not path:
        return InvalidInput("", "input must be a JSON object")
    return InvalidInput(path, FIELD_MESSAGES.get(path, f"{path}: {first['msg']}"))


def _check_ish_agrees_with_ratio(her2: Her2Input) -> None:
    if her2.ish is None or her2.ish_ratio is None:
        return
    from_ratio = "amplified" if her2.ish_ratio >= cat.ISH_AMPLIFIED_MIN_RATIO else "not_amplified"
    if her2.ish != from_ratio:
        raise InvalidInput(
            "her2.ish",
            f"her2.ish is {her2.ish} but her2.ish_ratio {her2.ish_ratio:g} means {from_ratio} "
            f"(a ratio >= {cat.ISH_AMPLIFIED_MIN_RATIO:.1f} is amplified); correct one of them",
        )


def _check_copy_number_agrees_with_call(her2: Her2Input) -> None:
    copies = her2.ngs_copy_number
    if her2.ngs_erbb2_amplified is True and copies is not None and copies < cat.NGS_NORMAL_COPY_NUMBER:
        raise InvalidInput(
            "her2.ngs_copy_number",
            f"her2.ngs_copy_number {copies:g} is below the normal {cat.NGS_NORMAL_COPY_NUMBER} copies but "
            "her2.ngs_erbb2_amplified is true; correct one of them",
        )


def _check_pregnancy_agrees_with_sex(patient: PatientInput) -> None:
    if patient.pregnant is True and patient.sex == "male":
        raise InvalidInput("patient.pregnant", "patient.pregnant is true but patient.sex is male; correct one of them")


def parse_case(data: Any) -> CaseInput:
    """Validate a contract-v1 input dict; raise InvalidInput naming the first bad field."""
    if not isinstance(data, dict):
        raise InvalidInput("", "input must be a JSON object")
    if any(data.get(name, ()) is None for name in _NESTED):
        data = {**data, **{name: {} for name in _NESTED if data.get(name, ()) is None}}  # null object = nothing known
    try:
        case = _ADAPTER.validate_python(data)
    except ValidationError as error:
        raise _invalid_from(error) from None
    _check_ish_agrees_with_ratio(case.her2)
    _check_copy_number_agrees_with_call(case.her2)
    _check_pregnancy_agrees_with_sex(case.patient)
    return case


def input_schema() -> dict:
    """The input JSON Schema (contract v1)."""
    schema = _ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "HER2 mCRC regimen engine input (contract v1)"
    schema["description"] = (
        f"Ruleset {cat.RULESET_VERSION}; null, an absent key or 'unknown' means not known / not done, for every "
        "field (prior_therapies null: the treatment history is unknown). Also invalid: a key given twice in one "
        "object; her2.ish contradicting her2.ish_ratio (>= 2.0 is amplified); her2.ngs_erbb2_amplified true with "
        f"her2.ngs_copy_number below {cat.NGS_NORMAL_COPY_NUMBER}; patient.pregnant true with patient.sex male."
    )
    return schema
