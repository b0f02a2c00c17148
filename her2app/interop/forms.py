from django import forms
from django.conf import settings

from her2app.interop.bundle_reader import BundleError, check_size, read_bundle

TOO_BIG = "The bundle is larger than the {limit} MB accepted."


class BundleImportForm(forms.Form):
    """A FHIR R4 Bundle as a file or as pasted JSON; valid when the reader can read it."""

    file = forms.FileField(label="FHIR bundle file (JSON)", required=False,
                           help_text="A FHIR R4 Bundle exported by the EHR.")
    text = forms.CharField(label="Or paste the bundle", required=False, strip=False,
                           widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}))

    def __init__(self, *args, too_big: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_big = too_big

    def clean(self):
        data = super().clean()
        if self.too_big:
            raise forms.ValidationError(TOO_BIG.format(limit=settings.FHIR_IMPORT_MAX_BYTES // 1024 // 1024))
        upload, text = data.get("file"), data.get("text") or ""
        if bool(upload) == bool(text.strip()):
            raise forms.ValidationError("Choose a file or paste a bundle (one of the two).")
        field = "file" if upload else "text"
        try:
            if upload:
                check_size(upload.size)
            raw = upload.read() if upload else text.encode("utf-8")
            data["reading"] = read_bundle(raw)
        except BundleError as error:
            self.add_error(field, error.message)
            return data
        data.update(raw=raw, filename=upload.name if upload else "", source_field=field)
        return data

