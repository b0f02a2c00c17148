"""Dose calculation (D1-D7, S9), dispensing units and the rounding policy (D7)."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from regimens import catalogue as cat

_QUANTUM = Decimal(1).scaleb(-cat.DOSE_DECIMALS)
_FLOAT_DIGITS = cat.FLOAT_NOISE_DIGITS
_FREQUENCY_WORDS = {"BID": "twice daily", "daily": "once daily"}
_NO_MULTI_DOSE: frozenset[float] = frozenset()


@dataclass(frozen=True)
class Dose:
    drug: str
    phase: str
    dose_mg: float | None  # None only when the oncologist sets the dose (clinician_sets_dose)
    calculated_mg: float | None
    basis: str
    route: str
    frequency: str
    days: tuple[int, ...]
    units: str | None
    ref: str
    mg_per_kg: float | None = None
    administration: str = ""  # D9
    clinician_sets_dose: bool = False  # S4: no validated dose; the oncologist sets and justifies it


@dataclass(frozen=True)
class DoseAdjustments:
    """What the safety modifiers change in a regimen's dose lines."""

    tucatinib_mg: float = cat.TUCATINIB_START_MG  # S4/S5 (D2)
    clinician_sets: frozenset[str] = frozenset()  # drugs whose dose the oncologist sets (S4)
    multi_dose_vials_single_use: bool = False  # D7: benzyl alcohol hypersensitivity


@dataclass(frozen=True)
class DispensingUnits:
    drug: str
    form: str  # vials | tablets | unknown
    counts: tuple[tuple[float, int], ...]  # (size in mg, how many), largest size first
    total_mg: float
    waste_mg: float  # single-dose vials only (D7)
    text: str | None
    kept_mg: float = 0  # remainder of multi-dose vials, kept for later doses (D7)


@dataclass(frozen=True)
class RoundingDecision:
    calculated_mg: float
    final_mg: float
    deviation_percent: float
    reason_required: bool


def weight_based_mg(mg_per_kg: float, weight_kg: float) -> float:
    """D7: dose_mg = mg_per_kg x actual body weight in kg, rounded to 1 decimal."""
    return float((Decimal(repr(mg_per_kg)) * Decimal(repr(weight_kg))).quantize(_QUANTUM, rounding=ROUND_HALF_UP))


def _mg(value: float) -> str:
    return f"{value:g} mg"


def _waste_and_kept(counts: tuple[tuple[float, int], ...], dose_mg: float, multi_dose: frozenset[float]):
    """D7: waste counts single-dose vials only. With a multi-dose vial in the combination, the single-dose vials
    are used in full, the rest is drawn from the multi-dose vial and its remainder is kept for later doses."""
    total = sum(size * count for size, count in counts)
    single = sum(size * count for size, count in counts if size not in multi_dose)
    if single == total:
        return round(total - dose_mg, _FLOAT_DIGITS), 0.0
    return round(max(0.0, single - dose_mg), _FLOAT_DIGITS), round(total - max(single, dose_mg), _FLOAT_DIGITS)


@cache  # bounded: doses lie on a 0.1 mg grid below 350 kg x the largest mg/kg
def _best_combination(
    sizes: tuple[float, ...], dose_mg: float, exact: bool, multi_dose: frozenset[float] = _NO_MULTI_DOSE
) -> tuple[tuple[float, int], ...] | None:
    """The combination of sizes covering dose_mg with the least waste (D7), then the fewest mg opened, then the
    fewest units; exact=True wants no waste at all (tablets)."""
    ordered = tuple(sorted(sizes, reverse=True))
    best: tuple[tuple[float, float, int], tuple[tuple[float, int], ...]] | None = None

    def search(index: int, remaining: float, counts: tuple[int, ...]) -> None:
        nonlocal best
        size = ordered[index]
        if index == len(ordered) - 1:
            combination = tuple(zip(ordered, counts + (max(0, math.ceil(round(remaining / size, _FLOAT_DIGITS))),)))
            combination = tuple((size, count) for size, count in combination if count)
            waste, _ = _waste_and_kept(combination, dose_mg, multi_dose)
            opened = sum(size * count for size, count in combination)
            score = (waste, round(opened, _FLOAT_DIGITS), sum(count for _, count in combination))
            if (not exact or waste == 0) and (best is None or score < best[0]):
                best = (score, combination)
            return
        for count in range(math.ceil(round(remaining / size, _FLOAT_DIGITS)) + 1):
            search(index + 1, remaining - count * size, counts + (count,))

    search(0, dose_mg, ())
    return None if best is None else best[1]


def _combination_text(counts: tuple[tuple[float, int], ...], multi_dose: frozenset[float] = _NO_MULTI_DOSE) -> str:
    return " + ".join(
        f"{count} x {_mg(size)}{' multi-dose' if size in multi_dose else ''}" for size, count in counts
    )


def _vial_text(counts, dose_mg: float, waste: float, kept: float, multi_dose: frozenset[float],
               single_use: frozenset[float]) -> str:
    text = f"vials: {_combination_text(counts, multi_dose)}"
    if any(size in multi_dose for size, _ in counts):
        drawn = round(dose_mg - sum(size * count for size, count in counts if size not in multi_dose), _FLOAT_DIGITS)
        if not kept:
            return f"{text} (all of it used)"
        return (
            f"{text} (draw {_mg(drawn)} from the multi-dose vial; the rest keeps {cat.MULTI_DOSE_VIAL_KEEPS_DAYS} "
            "days refrigerated for later doses)"
        )
    used_single_use = sorted(size for size, _ in counts if size in single_use)
    note = "".join(
        f"; the {_mg(size)} vial is single-use for benzyl alcohol hypersensitivity" for size in used_single_use
    )
    return f"{text} (waste {_mg(waste)}{note})"


def dispensing_units(
    drug: str,
    dose_mg: float,
    vial_sizes: dict[str, tuple[float, ...]] | None = None,
    frequency: str | None = None,
    multi_dose_single_use: bool = False,
) -> DispensingUnits:
    """Vial combination for an IV dose (D7: least waste, then fewest mg opened), or tablets per administration.

    A multi-dose vial's remainder is kept, not wasted, unless the patient is hypersensitive to benzyl alcohol
    (multi_dose_single_use), when it is reconstituted with sterile water and is single-use.
    """
    vials = (vial_sizes or {}).get(drug) or cat.VIAL_SIZES_MG.get(drug)
    if vials and min(vials) <= 0:
        raise ValueError(f"vial sizes for {drug} must be positive")
    if vials:
        declared = cat.MULTI_DOSE_VIALS_MG.get(drug, _NO_MULTI_DOSE) & frozenset(vials)
        multi_dose = _NO_MULTI_DOSE if multi_dose_single_use else declared
        counts = _best_combination(tuple(vials), dose_mg, False, multi_dose) or ()
        total = sum(size * count for size, count in counts)
        waste, kept = _waste_and_kept(counts, dose_mg, multi_dose)
        waste, kept = round(waste, cat.DOSE_DECIMALS), round(kept, cat.DOSE_DECIMALS)
        text = _vial_text(counts, dose_mg, waste, kept, multi_dose, declared - multi_dose)
        return DispensingUnits(drug, "vials", counts, total, waste, text, kept)
    tablets = cat.TABLET_SIZES_MG.get(drug)
    if tablets:
        counts = _best_combination(tuple(tablets), dose_mg, exact=True)
        if counts is None:
            return DispensingUnits(drug, "tablets", (), 0, 0, f"no whole-tablet combination gives {_mg(dose_mg)}")
        when = f", {_FREQUENCY_WORDS[frequency]}" if frequency in _FREQUENCY_WORDS else ""
        total = sum(size * count for size, count in counts)
        text = f"tablets: {_combination_text(counts)} per dose{when}"
        return DispensingUnits(drug, "tablets", counts, total, 0, text)
    return DispensingUnits(drug, "unknown", (), 0, 0, None)


def apply_rounding_policy(calculated_mg: float, final_mg: float, tolerance_percent: float | None) -> RoundingDecision:
    """D7: a final dose differing from the calculated one by more than the institution's tolerance needs a
    recorded reason; tolerance None means no rounding is allowed, so any difference needs a reason."""
    if calculated_mg == final_mg:
        deviation = 0.0
    elif calculated_mg == 0:
        deviation = math.inf
    else:
        deviation = round(abs(final_mg - calculated_mg) / calculated_mg * cat.PERCENT, _FLOAT_DIGITS)
    if tolerance_percent is None:
        required = deviation > 0
    else:
        required = deviation > tolerance_percent
    return RoundingDecision(calculated_mg, final_mg, deviation, required)


def _basis(fact: cat.DoseFact, weight_kg: float | None) -> str:
    if fact.weight_based:
        return f"{fact.mg_per_kg:g} mg/kg x {weight_kg:g} kg"
    if fact.ref == "D2":
        return f"fixed dose {_mg(fact.fixed_mg)} (adjusted starting dose, D2)"
    return f"fixed dose {_mg(fact.fixed_mg)}"


@cache  # bounded: drugs x doses on the 0.1 mg grid
def _units_text(drug: str, dose_mg: float, frequency: str, multi_dose_single_use: bool = False) -> str | None:
    return dispensing_units(drug, dose_mg, frequency=frequency, multi_dose_single_use=multi_dose_single_use).text


@cache  # bounded: the catalogue's fixed doses and the few adjusted tucatinib doses
def _fixed_dose(fact: cat.DoseFact) -> "Dose":
    dose_mg = float(fact.fixed_mg)
    return Dose(fact.drug, fact.phase, dose_mg, dose_mg, _basis(fact, None), fact.route, fact.frequency, fact.days,
                _units_text(fact.drug, dose_mg, fact.frequency), fact.ref, administration=fact.administration)


def _clinician_set_dose(fact: cat.DoseFact) -> "Dose":
    """S4: no dose is proposed; the line says the oncologist sets and justifies it."""
    return Dose(fact.drug, fact.phase, None, None, cat.CLINICIAN_SET_DOSE_BASIS[fact.drug], fact.route,
                fact.frequency, fact.days, None, "S4", administration=fact.administration, clinician_sets_dose=True)


def calculate_dose(
    fact: cat.DoseFact, weight_kg: float | None, adjustments: DoseAdjustments = DoseAdjustments()
) -> Dose | None:
    """One dose line; None for a weight-based dose without a weight (S9)."""
    if fact.drug in adjustments.clinician_sets:
        return _clinician_set_dose(fact)
    if not fact.weight_based:
        if fact.drug == "tucatinib" and adjustments.tucatinib_mg != fact.fixed_mg:
            fact = _with_fixed(fact, adjustments.tucatinib_mg)  # S4/S5 adjusted tucatinib dose (D2)
        return _fixed_dose(fact)
    if weight_kg is None:
        return None
    dose_mg = weight_based_mg(fact.mg_per_kg, weight_kg)
    return Dose(
        fact.drug,
        fact.phase,
        dose_mg,
        round(fact.mg_per_kg * weight_kg, _FLOAT_DIGITS),
        _basis(fact, weight_kg),
        fact.route,
        fact.frequency,
        fact.days,
        _units_text(fact.drug, dose_mg, fact.frequency, adjustments.multi_dose_vials_single_use),
        fact.ref,
        fact.mg_per_kg,
        fact.administration,
    )


def _with_fixed(fact: cat.DoseFact, dose_mg: float) -> cat.DoseFact:
    return cat.DoseFact(fact.drug, fact.phase, fact.route, fact.frequency, fact.days, "D2", fixed_mg=dose_mg,
                        administration=fact.administration)


def regimen_doses(
    regimen: str, weight_kg: float | None, adjustments: DoseAdjustments = DoseAdjustments()
) -> list[Dose]:
    """All dose lines of a regimen that can be calculated (weight-based ones need the weight, S9)."""
    doses = (calculate_dose(fact, weight_kg, adjustments) for fact in cat.REGIMEN_DOSES[regimen])
    return [dose for dose in doses if dose is not None]


def has_weight_based_dose(regimen: str) -> bool:
    return any(fact.weight_based for fact in cat.REGIMEN_DOSES[regimen])
