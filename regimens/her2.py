"""HER2 status by the colorectal criteria (reference H1-H5)."""

from dataclasses import dataclass

from regimens import catalogue as cat
from regimens.inputs import Her2Input
from regimens.vocabulary import ISH_LABELS


@dataclass(frozen=True)
class Her2Status:
    status: str  # positive | negative | equivocal | untested
    basis: str
    ref: str
    discordant: bool = False  # H5
    missing: tuple[str, ...] = ()  # what testing would resolve it (R1), or what a result lacks (H4)
    warnings: tuple[str, ...] = ()  # warning codes about the HER2 result itself (H1, H4, H5)


def _ihc_text(her2: Her2Input) -> str:
    if her2.ihc_percent_cells is None:
        return f"IHC {her2.ihc}"
    return f"IHC {her2.ihc} in {her2.ihc_percent_cells:g}% of cells"


def _ish_text(her2: Her2Input) -> str:
    result = ISH_LABELS[her2.ish_result]
    if her2.ish_ratio is None:
        return f"ISH {result}"
    return f"ISH {result} (HER2:CEP17 ratio {her2.ish_ratio:g})"


def _ngs_text(her2: Her2Input) -> str:
    result = "amplified" if her2.ngs_erbb2_amplified else "not amplified"
    copies = "" if her2.ngs_copy_number is None else f" (copy number {her2.ngs_copy_number:g})"
    return f"NGS ERBB2 {result}{copies}"


def _basis(her2: Her2Input) -> str:
    parts = []
    if her2.ihc is not None:
        parts.append(_ihc_text(her2))
    if her2.ish_result is not None:
        parts.append(_ish_text(her2))
    if her2.ngs_erbb2_amplified is not None:
        parts.append(_ngs_text(her2))
    return ", ".join(parts) if parts else "no HER2 test result"


def amplified(her2: Her2Input) -> bool:
    """ISH amplified (ratio >= 2.0) or ERBB2 amplified by tissue NGS (H1)."""
    return her2.ish_result == "amplified" or her2.ngs_erbb2_amplified is True


def ihc_3plus_meets_cell_threshold(her2: Her2Input) -> bool:
    """IHC 3+ counts alone unless fewer than 50% of tumour cells stain (HERACLES, H1)."""
    return her2.ihc == "3+" and (
        her2.ihc_percent_cells is None or her2.ihc_percent_cells >= cat.IHC_3PLUS_MIN_PERCENT_CELLS
    )


def copy_number_without_call(her2: Her2Input) -> bool:
    """H4: a copy number without the laboratory's amplification call is not a result."""
    return her2.ngs_copy_number is not None and her2.ngs_erbb2_amplified is None


def _classify(her2: Her2Input) -> Her2Status:
    basis = _basis(her2)
    if her2.ihc is None and her2.ish_result is None and her2.ngs_erbb2_amplified is None:
        return Her2Status("untested", basis, "H4", missing=("her2",))
    if amplified(her2):
        return Her2Status("positive", basis, "H1", discordant=her2.ihc in ("0", "1+"))
    if ihc_3plus_meets_cell_threshold(her2):
        disagree = ("her2_ihc_ish_disagree",) if her2.ish_result == "not_amplified" else ()
        return Her2Status("positive", basis, "H1", warnings=disagree)
    no_amplification_result = her2.ish_result is None and her2.ngs_erbb2_amplified is None
    if her2.ihc == "3+" and no_amplification_result:
        # H1/H2: IHC 3+ in < 50% of cells counts only with amplification; equivocal until ISH or NGS is done.
        return Her2Status("equivocal", basis, "H2", missing=("her2.ish",))
    if her2.ihc == "3+":
        # H1: ... and negative once ISH and/or NGS was done and none is amplified.
        return Her2Status("negative", basis, "H1")
    if her2.ihc == "2+" and no_amplification_result:
        return Her2Status("equivocal", basis, "H2", missing=("her2.ish",))
    return Her2Status("negative", basis, "H3")


def classify_her2(her2: Her2Input) -> Her2Status:
    """HER2 status: untested (H4), positive (H1, with H5 discordance), equivocal (H2) or negative (H1, H3).

    A copy number without the laboratory's call never counts; it is named as missing with a caution (H4).
    """
    status = _classify(her2)
    warnings = (("her2_discordant",) if status.discordant else ()) + status.warnings
    missing = status.missing
    if copy_number_without_call(her2):
        warnings += ("ngs_copy_number_without_call",)
        missing += ("her2.ngs_erbb2_amplified",)
    return Her2Status(status.status, status.basis, status.ref, status.discordant, missing, warnings)
