"""Every code the FHIR export sends and the import reads, with where it was checked.

Sources (docs/interop.md lists each code with its source):
- "mCODE <ValueSet>": the code and display are listed in that value set of the
  mCODE STU4 package (npm `hl7.fhir.us.mcode` 4.0.0); the suite's FHIR
  validator re-checks every exported coding against those value sets.
- "mCODE example <file>": the code appears with this display in an example of
  that package (no value set lists it).
- "issue 17": named in the issue, not found in any package we can read; the
  code is sent, and the doc says it was not checked against a terminology release.
Anything not verified is sent as text only.
"""

from dataclasses import dataclass

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICDO3 = "http://terminology.hl7.org/CodeSystem/icd-o-3"
UCUM = "http://unitsofmeasure.org"
TERMINOLOGY = "http://terminology.hl7.org/CodeSystem/"

MCODE_VERSION = "4.0.0"
MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
FHIR_CORE_VERSION = "4.0.1"


def mcode_profile(name: str) -> str:
    """A versioned canonical, so a receiver knows which mCODE release the resource claims."""
    return f"{MCODE}{name}|{MCODE_VERSION}"


PROFILE_PATIENT = mcode_profile("mcode-cancer-patient")
PROFILE_PRIMARY_CANCER = mcode_profile("mcode-primary-cancer-condition")
PROFILE_TUMOR_MARKER = mcode_profile("mcode-tumor-marker-test")
PROFILE_ECOG = mcode_profile("mcode-ecog-performance-status")
PROFILE_MEDICATION_REQUEST = mcode_profile("mcode-cancer-related-medication-request")
PROFILE_BODY_WEIGHT = f"http://hl7.org/fhir/StructureDefinition/bodyweight|{FHIR_CORE_VERSION}"  # FHIR R4 core
# Extensions are identified by their unversioned url (FHIR: Extension.url is a uri).
NORMALIZATION_BASIS = MCODE + "mcode-normalization-basis"
HISTOLOGY_EXTENSION = MCODE + "mcode-histology-morphology-behavior"
LATERALITY_EXTENSION = MCODE + "mcode-laterality-qualifier"


@dataclass(frozen=True)
class Code:
    system: str
    code: str
    display: str
    source: str

    def as_dict(self) -> dict:
        return {"system": self.system, "code": self.code, "display": self.display}


# --- Observations ------------------------------------------------------------
HER2 = Code(LOINC, "48676-1", "HER2 [Interpretation] in Tissue", "mCODE TumorMarkerTestVS")
MSI = Code(LOINC, "81695-9", "Microsatellite instability [Interpretation] in Cancer specimen Qualitative",
           "mCODE TumorMarkerTestVS")
RAS = Code(LOINC, "81420-2",
           "KRAS and NRAS gene mutations found [Identifier] in Blood or Tissue by Molecular genetics method Nominal",
           "mCODE TumorMarkerTestVS")
# The value set's only BRAF code is an immunostain; a molecular BRAF result has
# no code there, so it is sent as text until the test method is recorded per
# marker (issue "Clinician usability"), see braf_code().
BRAF_V600E_BY_IHC = Code(LOINC, "85299-6", "BRAF V600E mutant protein [Presence] in Cancer specimen by Immune stain",
                         "mCODE TumorMarkerTestVS")
ECOG = Code(LOINC, "89247-1", "ECOG Performance Status score",
            "mCODE ECOGPerformanceStatus profile (fixed code) and example ecog-performance-status-fully-active")
BODY_WEIGHT = Code(LOINC, "29463-7", "Body weight",
                   "FHIR R4 bodyweight profile (fixed code); mCODE example bodyweight-jenny-m-2018-03-16")
BODY_HEIGHT = Code(LOINC, "8302-2", "Body height",
                   "FHIR R4 bodyheight profile (fixed code); mCODE example bodyheight-jenny-m-2018-03-06")
LVEF = Code(LOINC, "10230-1", "Left ventricular Ejection fraction", "issue 17; loinc.org/10230-1")

HER2_VALUES = {
    "positive": Code(LOINC, "LA6576-8", "Positive", "mCODE example Observation-tumor-marker-test-er-jenny-m"),
    "negative": Code(LOINC, "LA6577-6", "Negative", "mCODE example Observation-tumor-marker-test-pr-jenny-m"),
}
MSI_VALUES = {"mss": Code(LOINC, "LA14122-8", "Stable", "sent before issue 17; in no package, not verified")}


def braf_code(method: str) -> Code | None:
    """The BRAF V600E Observation code for a test method; None means send text only.

    Only an immunostain has a code in mCODE's TumorMarkerTestVS: a BRAF result
    whose own test method is immunohistochemistry gets it.
    """
    return BRAF_V600E_BY_IHC if method == "ihc" else None


# Fitness and safety facts the engine reads that have no verified code: sent with
# these texts as Observation.code.text, which the import reads back (round trip).
SAFETY_FACT_TEXTS = {
    "fit_for_intensive_therapy": "Fit for intensive chemotherapy",
    "ild_history": "History of interstitial lung disease or pneumonitis",
    "hepatic_impairment": "Hepatic impairment (Child-Pugh class)",
    "pregnant": "Pregnant",
    "breastfeeding": "Breastfeeding",
    "strong_cyp2c8_inhibitor": "Taking a strong CYP2C8 inhibitor",
    "benzyl_alcohol_hypersensitivity": "Hypersensitivity to benzyl alcohol",
}

# --- Condition ---------------------------------------------------------------
# Primary malignant neoplasm by site (SNOMED CT; mCODE PrimaryCancerDisorderVS
# is "is-a 363346000", which no package lets us expand, so these are not
# machine-checked) plus WHO ICD-10.
PRIMARY_COLON = Code(SNOMED, "93761005", "Primary malignant neoplasm of colon", "sent before issue 17")
PRIMARY_RECTUM = Code(SNOMED, "93984006", "Primary malignant neoplasm of rectum", "issue 17")
ICD10_COLON = Code(ICD10, "C18.9", "Malignant neoplasm of colon, unspecified", "WHO ICD-10, sent before issue 17")
ICD10_RECTUM = Code(ICD10, "C20", "Malignant neoplasm of rectum", "WHO ICD-10, sent before issue 17")
# Body structures: listed in mCODE RadiotherapyTreatmentLocationVS and the
# TG263 ConceptMap of the package (CancerBodyLocationVS is "is-a 123037004").
COLON_STRUCTURE = Code(SNOMED, "71854001", "Colon structure (body structure)", "mCODE RadiotherapyTreatmentLocationVS")
RECTUM_STRUCTURE = Code(SNOMED, "34402009", "Rectum structure (body structure)", "mCODE RadiotherapyTreatmentLocationVS")
LEFT = Code(SNOMED, "7771000", "Left (qualifier value)", "mCODE LateralityQualifierVS")
RIGHT = Code(SNOMED, "24028007", "Right (qualifier value)", "mCODE LateralityQualifierVS")


@dataclass(frozen=True)
class PrimarySite:
    """How one of the app's primary sites is coded: the disorder, the body site and its side."""

    key: str
    text: str
    disorder: tuple[Code, ...]
    body_site: Code
    laterality: Code | None = None


PRIMARY_SITES = {
    site.key: site
    for site in (
        PrimarySite("left_colon", "Left colon", (PRIMARY_COLON, ICD10_COLON), COLON_STRUCTURE, LEFT),
        PrimarySite("right_colon", "Right colon", (PRIMARY_COLON, ICD10_COLON), COLON_STRUCTURE, RIGHT),
        PrimarySite("rectum", "Rectum", (PRIMARY_RECTUM, ICD10_RECTUM), RECTUM_STRUCTURE),
    )
}

# Histology (mCODE HistologyMorphologyBehaviorVS includes every ICD-O-3 code
# and SNOMED CT is-a 1240414004 / 1187138006 / 60286009). PrimaryCancerCondition
# carries histology_extension(case.histology) when the histology is recorded.
HISTOLOGY: dict[str, tuple[str, tuple[Code, ...]]] = {
    "adenocarcinoma": ("Adenocarcinoma", (
        Code(SNOMED, "1187332001", "Adenocarcinoma (morphologic abnormality)",
             "mCODE example Condition-primary-cancer-condition-nsclc"),
        Code(ICDO3, "8140/3", "Adenocarcinoma, NOS", "mCODE example Bundle-gx-genomic-bundle-adam-anyperson"),
    )),
    "mucinous": ("Mucinous adenocarcinoma", (
        Code(ICDO3, "8480/3", "Mucinous adenocarcinoma", "ICD-O-3 morphology; not found in any package"),
    )),
    "signet_ring": ("Signet ring cell carcinoma", (
        Code(ICDO3, "8490/3", "Signet ring cell carcinoma", "ICD-O-3 morphology; not found in any package"),
    )),
    "other": ("Other histology", ()),
}

# --- Medication request ------------------------------------------------------
BODY_WEIGHT_BASIS = Code(SNOMED, "363804004", "Body weight characteristic (observable entity)",
                         "mCODE NormalizationBasisVS")
FIXED_DOSE_BASIS = Code(SNOMED, "1157245009", "Fixed dose (qualifier value)", "mCODE NormalizationBasisVS")
ROUTES = {
    "IV": Code(SNOMED, "47625008", "Intravenous route (qualifier value)",
               "mCODE example MedicationAdministration-cancer-related-medication-admin-idarubicin-brian-l"),
    "PO": Code(SNOMED, "26643006", "Oral route (qualifier value)",
               "mCODE example MedicationRequest-cancer-related-medication-request-anastrozole-jenny-m"),
}
# Drugs: no RxNorm code could be checked against an RxNorm release (mCODE's
# examples name none of these drugs), so medications are sent as text.
