"""Filling a component of an application from the applicant's document wallet: the stored file is taken again as an
upload would be (its type read from the content and held against the component's types, its size, its SHA-256
compared with the one kept when it was stored), then written with the request's other files, under the same volume
limits; the new document names what it reuses, which the statistics count."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from procedures.models import Procedure

from ..models import DossierDocument
from ..selectors.results import WalletItem
from ..uploads import check_upload


def wallet_uploads(*, procedure: Procedure, reused_by_component: dict[int, list[WalletItem]]) -> list[tuple]:
    """The wallet items chosen per component of `procedure`, checked: `[(component, CheckedUpload, item)]`."""
    components = {document.pk: document for document in procedure.documents.all()}
    checked = []
    for component_id, items in reused_by_component.items():
        component = components.get(component_id)
        if component is None:
            raise ValidationError(_("Thành phần hồ sơ %(id)s không thuộc thủ tục này.") % {"id": component_id})
        for item in items:
            with item.file.open("rb") as stored:
                content = ContentFile(stored.read(), name=item.name)
            upload = check_upload(content, accepted_types=component.accepted_types_or_default, label=component.name)
            if upload.sha256 != item.sha256:
                raise ValidationError(
                    _("Tệp “%(name)s” trong Kho dữ liệu đã khác lúc lưu (mã SHA-256); hãy tải tệp lên.")
                    % {"name": item.name}
                )
            checked.append((component, upload, item))
    return checked


def mark_reused(documents: list[DossierDocument], items: list[WalletItem]) -> None:
    """Record on each new document the wallet item it was taken from."""
    for document, item in zip(documents, items, strict=True):
        if item.is_result:
            document.reused_result_id = item.pk
        else:
            document.reused_document_id = item.pk
        document.save(update_fields=["reused_result", "reused_document"])
