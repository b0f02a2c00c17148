"""Dose calculation (D1-D7, S9), dispensing units and the rounding policy (D7)."""

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from regimens import catalogue as cat

_QUANTUM = Decimal(1).scaleb(-cat.DOSE_DECIMALS)
_FLOAT_DIGITS = cat.FLOAT_NOISE_DIGITS
_FREQUENCY_WORDS = {"BID": "twice daily", "daily": "once daily"}


@dataclass(frozen=True)
class Dose:
    drug: str
    phase: str
    dose_mg: float
    calculated_mg: float
    basis: str
    route: str
    frequency: str
    days: tuple[int, ...]
    units: str | None
    ref: str
    mg_per_kg: float | None = None


@dataclass(frozen=True)
class DispensingUnits:
    drug: str
    form: str  # vials | tablets | unknown
    counts: tuple[tuple[float, int], ...]  # (size in mg, how many), largest size first
    total_mg: float
    waste_mg: float
    text: str | None


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


@cache  # bounded: doses lie on a 0.1 mg grid below 350 kg x the largest mg/kg
def _best_combination(sizes: tuple[float, ...], dose_mg: float, exact: bool) -> tuple[tuple[float, int], ...] | None:
    """Fewest-waste (then fewest-units) combination of sizes covering dose_mg; exact=True wants no waste."""
    ordered = tuple(sorted(sizes, reverse=True))
    best: tuple[float, int, tuple[int, ...]] | None = None

    def search(index: int, remaining: float, counts: tuple[int, ...]) -> None:
        nonlocal best
        size = ordered[index]
        if index == len(ordered) - 1:
            count = max(0, math.ceil(round(remaining / size, _FLOAT_DIGITS)))
            total_counts = counts + (count,)
            waste = round(count * size - remaining, _FLOAT_DIGITS)
            candidate = (waste, sum(total_counts), total_counts)
            if (not exact or waste == 0) and (best is None or candidate[:2] < best[:2]):
                best = candidate
            return
        for count in range(math.ceil(round(remaining / size, _FLOAT_DIGITS)) + 1):
            search(index + 1, remaining - count * size, counts + (count,))

    search(0, dose_mg, ())
    if best is None:
        return None
    return tuple((size, count) for size, count in zip(ordered, best[2]) if count)


def _combination_text(counts: tuple[tuple[float, int], ...]) -> str:
    return " + ".join(f"{count} x {_mg(size)}" for size, count in counts)


def dispensing_units(
    drug: str, dose_mg: float, vial_sizes: dict[str, tuple[float, ...]] | None = None, frequency: str | None = None
) -> DispensingUnits:
    """Smallest vial combination covering an IV dose (with waste), or tablets per administration (oral)."""
    vials = (vial_sizes or {}).get(drug) or cat.VIAL_SIZES_MG.get(drug)
    if vials and min(vials) <= 0:
        raise ValueError(f"vial sizes for {drug} must be positive")
    if vials:
        counts = _best_combination(tuple(vials), dose_mg, exact=False) or ()
        total = sum(size * count for size, count in counts)
        waste = round(total - dose_mg, cat.DOSE_DECIMALS)
        text = f"vials: {_combination_text(counts)} (waste {waste:g} mg)"
        return DispensingUnits(drug, "vials", counts, total, waste, text)
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
def _units_text(drug: str, dose_mg: float, frequency: str) -> str | None:
    return dispensing_units(drug, dose_mg, frequency=frequency).text


@cache  # bounded: the catalogue's fixed doses and the few adjusted tucatinib doses
def _fixed_dose(fact: cat.DoseFact) -> "Dose":
    dose_mg = float(fact.fixed_mg)
    return Dose(fact.drug, fact.phase, dose_mg, dose_mg, _basis(fact, None), fact.route, fact.frequency, fact.days,
                _units_text(fact.drug, dose_mg, fact.frequency), fact.ref)


def calculate_dose(fact: cat.DoseFact, weight_kg: float | None, tucatinib_mg: float | None = None) -> Dose | None:
    """One dose line; None for a weight-based dose without a weight (S9)."""
    if not fact.weight_based:
        if fact.drug == "tucatinib" and tucatinib_mg and tucatinib_mg != fact.fixed_mg:
            fact = _with_fixed(fact, tucatinib_mg)  # S4/S5 adjusted tucatinib dose (D2)
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
        _units_text(fact.drug, dose_mg, fact.frequency),
        fact.ref,
        fact.mg_per_kg,
    )


def _with_fixed(fact: cat.DoseFact, dose_mg: float) -> cat.DoseFact:
    return cat.DoseFact(fact.drug, fact.phase, fact.route, fact.frequency, fact.days, "D2", fixed_mg=dose_mg)


def regimen_doses(regimen: str, weight_kg: float | None, tucatinib_mg: float | None = None) -> list[Dose]:
    """All dose lines of a regimen that can be calculated (weight-based ones need the weight, S9)."""
    doses = (calculate_dose(fact, weight_kg, tucatinib_mg) for fact in cat.REGIMEN_DOSES[regimen])
    return [dose for dose in doses if dose is not None]


def has_weight_based_dose(regimen: str) -> bool:
    return any(fact.weight_based for fact in cat.REGIMEN_DOSES[regimen])
