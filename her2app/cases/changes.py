"""What changed, as a reader sees it: a labelled value before and after.

Every page that shows a difference (a wizard or draft-plan edit conflict, the
audit history, a plan re-checked against the case's data now) lists `Change`s.
`compare_inputs` and `compare_results` read two engine inputs or two engine
results in the clinical vocabulary's words ("Weight: 70 kg -> 60 kg").
"""

from dataclasses import dataclass

from regimens import vocabulary

NOT_LISTED = "not listed"
NONE = "none"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def compare_inputs(stored: dict, current: dict) -> list[Change]:
    """The case data that changed, by field label ("Weight: 70 kg -> 60 kg")."""
    before, after = _flatten(stored), _flatten(current)
    return [
        Change(vocabulary.field_label(path), vocabulary.input_value_label(path, before.get(path)),
               vocabulary.input_value_label(path, after.get(path)))
        for path in dict.fromkeys([*before, *after])
        if _comparable(before.get(path)) != _comparable(after.get(path))
    ]


def _flatten(data: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _comparable(value):
    if isinstance(value, list):
        return sorted(value)
    if value == "unknown":
        return None
    return value


def compare_results(stored: dict, current: dict, regimen: str) -> list[Change]:
    """What a clinician needs to see: status, recommendation, best option, every tier, the doses of the
    chosen (or best) regimen, blocking warnings and missing data. Wording changes alone are not listed."""
    changes = [
        Change(label, labelled(stored.get(key)) or NOT_LISTED, labelled(current.get(key)) or NOT_LISTED)
        for key, label, labelled in (
            ("her2_status", "HER2 status", vocabulary.her2_status_label),
            ("recommendation", "Recommendation", vocabulary.recommendation_label),
        )
        if stored.get(key) != current.get(key)
    ]
    changes += _keyed_changes("Best option", {"": _best(stored)}, {"": _best(current)})
    changes += _keyed_changes("Tier of {}", _tiers(stored), _tiers(current))
    changes += _keyed_changes(f"{vocabulary.regimen_title(regimen)}: {{}}", _doses(stored, regimen),
                              _doses(current, regimen))
    changes += _keyed_changes("Blocking warning on {}", _blocking(stored), _blocking(current), (None, NONE))
    changes += _keyed_changes("Missing data", {"": _missing(stored)}, {"": _missing(current)})
    return changes


def _keyed_changes(template: str, stored: dict[str, tuple], current: dict[str, tuple],
                   absent: tuple = (None, NOT_LISTED)) -> list[Change]:
    """Values are (compared, shown) pairs: only what is compared decides whether a line changed."""
    keys = list(dict.fromkeys([*stored, *current]))
    return [
        Change(template.format(key) if key else template, stored.get(key, absent)[1], current.get(key, absent)[1])
        for key in keys
        if stored.get(key, absent)[0] != current.get(key, absent)[0]
    ]


def _best(result: dict) -> tuple:
    best = vocabulary.best_option(result.get("options", []))
    if not best:
        return (None, NONE)
    return (best["regimen"], f"{vocabulary.regimen_title(best['regimen'])} ({vocabulary.tier_label(best['tier']).lower()})")


def _tiers(result: dict) -> dict[str, tuple]:
    return {
        vocabulary.regimen_title(option["regimen"]): (option.get("tier"), vocabulary.tier_label(option.get("tier")))
        for option in result.get("options", [])
    }


def _doses(result: dict, regimen: str) -> dict[str, tuple]:
    option = next((o for o in result.get("options", []) if o.get("regimen") == regimen), {})
    return {
        f"{vocabulary.drug_name(dose['drug'])} ({vocabulary.phase_label(dose.get('phase')).lower()})": (
            (dose["dose_mg"], dose.get("route"), dose.get("frequency"), tuple(dose.get("days", []))),
            _dose_text(dose),
        )
        for dose in option.get("doses", [])
    }


def _dose_text(dose: dict) -> str:
    amount = "set by the oncologist" if dose["dose_mg"] is None else f"{dose['dose_mg']:g} mg"
    route = vocabulary.route_label(dose.get("route"))
    basis = f" ({dose['basis']})" if dose.get("basis") and dose["dose_mg"] is not None else ""
    return f"{amount} {route} {vocabulary.frequency_label(dose.get('frequency'))}{basis}"


def _blocking(result: dict) -> dict[str, tuple]:
    found: dict[str, tuple] = {}
    for option in result.get("options", []):
        codes = sorted(w["code"] for w in vocabulary.blocking_warnings(option))
        texts = "; ".join(w["text"] for w in vocabulary.blocking_warnings(option))
        if codes:
            found[vocabulary.regimen_title(option["regimen"])] = (tuple(codes), texts)
    return found


def _missing(result: dict) -> tuple:
    paths = tuple(result.get("missing_data", []))
    return (tuple(sorted(paths)), "; ".join(vocabulary.field_label(path) for path in paths) or NONE)
