"""Forms of the participant import: the upload, the column mapping and the final choices."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from binome.people.importing import columns, reading, records, validation
from binome.people.models import Participant


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet file (CSV or XLSX)"),
        help_text=_(
            "One participant per line, the column names on the first line. "
            "CSV files must be saved as “CSV UTF-8”."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, too_big: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Reading of the request stopped at the size limit: there is no file to ask for.
        self.too_big = too_big
        if too_big:
            self.fields["file"].required = False

    def clean_file(self) -> UploadedFile:
        upload = self.cleaned_data["file"]
        if self.too_big or upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(reading.too_big_message())
        try:
            self.table = reading.read_table(upload.read(), upload.name)
        except records.ImportRefused as refused:
            raise ValidationError(refused.message) from None
        return upload


class MappingForm(forms.Form):
    """One choice per column of the file: which participant field it holds, or none."""

    default_role = forms.ChoiceField(
        label=_("Role of participants whose line gives none"),
        choices=[("", _("None: the file gives each role"))] + list(Participant.Role.choices),
        required=False,
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.headers = headers
        choices = [("", _("— ignore this column —")), *columns.field_choices()]
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or records.column_letter(index), choices=choices, required=False
            )

    @classmethod
    def guessed(cls, headers: list[str]) -> "MappingForm":
        data = {f"col_{i}": name for i, name in enumerate(columns.guess_mapping(headers))}
        return cls(data, headers=headers)

    def column_fields(self) -> list[BoundField]:
        return [self[f"col_{index}"] for index in range(len(self.headers))]

    @property
    def mapping(self) -> list[str]:
        return [self.cleaned_data.get(f"col_{i}", "") for i in range(len(self.headers))]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        problems = validation.mapping_problems(self.mapping, cleaned.get("default_role", ""))
        if problems:
            raise ValidationError(problems)
        return cleaned


class ConfirmForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Which rows"),
        choices=[
            ("all", _("All rows (only possible when the file has no error)")),
            ("valid", _("Only the valid rows; the rows with errors are left out")),
        ],
        initial="all",
        widget=forms.RadioSelect,
    )
    duplicates = forms.ChoiceField(
        label=_("Likely duplicates"),
        choices=[
            ("skip", _("Skip them")),
            ("import", _("Import them anyway")),
        ],
        initial="skip",
        widget=forms.RadioSelect,
    )
    consent_collected = forms.BooleanField(
        label=_(
            "Every participant in this file agreed, before the import, to the processing of "
            "their data (recorded as their consent)"
        ),
        required=False,
    )
