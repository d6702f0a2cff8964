"""The multiple-file input of every dossier form (application, supplement, counter intake, the officer's
supplement). Each file is checked here with `dossiers.uploads.check_upload` (type from the content,
size, empty file), so a refused file is reported next to its field before any service runs; the field
gives the services the checked uploads, which they do not read again."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from procedures.constants import FileType

from ..uploads import FREE_FILE_TYPES, check_upload

# What a supplement's files may be: the types the services accept for a file that answers no component.
SUPPLEMENT_FILE_TYPES = FREE_FILE_TYPES

ACCEPT_BY_FILE_TYPE = {
    FileType.PDF: ".pdf,application/pdf",
    FileType.JPEG: ".jpg,.jpeg,image/jpeg",
    FileType.PNG: ".png,image/png",
    FileType.DOCX: ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def accept_attribute(file_types) -> str:
    """The `accept` attribute of a file input: a hint for the picker; the server checks the content."""
    return ",".join(ACCEPT_BY_FILE_TYPE[t] for t in file_types if t in ACCEPT_BY_FILE_TYPE)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; `clean` returns a list of `CheckedUpload` (empty when optional and
    nothing was chosen), at most `settings.DOSSIER_COMPONENT_MAX_FILES` (the services hold the request as a
    whole to the other volume limits), each of `accepted_types`. Empty files pass Django's
    own check so that `check_upload` refuses them with a message naming the file and `label_for_messages`."""

    def __init__(self, *args, accepted_types=None, label_for_messages="", **kwargs):
        self.accepted_types = list(accepted_types or SUPPLEMENT_FILE_TYPES)
        self.label_for_messages = label_for_messages
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute(self.accepted_types)}))
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        files = [f for f in files if f]
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        limit = settings.DOSSIER_COMPONENT_MAX_FILES
        if len(files) > limit:
            raise ValidationError(
                _("Mỗi lần chỉ tải lên tối đa %(n)s tệp cho một mục.") % {"n": limit}, code="too_many_files"
            )
        checked, errors = [], []
        for uploaded in files:
            try:
                checked.append(
                    check_upload(uploaded, accepted_types=self.accepted_types, label=self.label_for_messages)
                )
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked
