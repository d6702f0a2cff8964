"""Serializers of the dossier API: output, one small input serializer per action, the public lookup.

No logic here: checks of the business rules are in dossiers.services."""

import json

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from procedures.addresses import active_communes
from procedures.models import Procedure

from ..constants import (
    ASSIGNEE_NOT_CHECKED,
    NATIONAL_STATUS_CODE,
    Action,
    DeliveryMethod,
    DossierStatus,
    Outcome,
    PostagePayment,
)
from ..error_codes import ErrorCode
from ..lookup.public import public_labels
from ..models import Dossier, DossierDocument
from ..panels import public_sections_payload
from ..selectors import (
    dossier_documents_for_user,
    dossier_timeline_for,
    processing_officers_for_agency,
    results_for_dossier,
    user_is_dossier_officer,
)
from ..workflow import allowed_actions
from .result_serializers import ResultSerializer


# Every error body of the API (portal/api_errors.py). A serializer's errors per field come as DRF writes them,
# {"<field>": ["<message>"]}, with "code": "invalid" beside them.
class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Mã lỗi cho chương trình. Khi hồ sơ từ chối thao tác: "
        + "; ".join(f"`{code.value}`: {code.label}" for code in ErrorCode)
        + " Lỗi chung của API: `not_authenticated`, `authentication_failed`, `permission_denied`, `not_found`, "
        "`method_not_allowed`, `throttled`, `parse_error`."
    )
    detail = serializers.CharField(help_text="Thông báo cho người dùng (tiếng Việt).")

    class Meta:
        ref_name = "DossierApiError"


# --- output ------------------------------------------------------------------------------------


class ProcedureRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AgencyRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class AssigneeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    full_name = serializers.CharField()


class DocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DossierDocument
        fields = ["id", "kind", "required_document_id", "original_name", "content_type", "size", "download_url"]

    def get_download_url(self, document) -> str:
        url = reverse("dossiers:document-download", args=[document.dossier_id, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# The status and action codes are enums in the schema once each (on `status` and on an event's `action`);
# other fields carrying the same codes say so in words: spectacular would otherwise name one set twice.
@extend_schema_field({"type": "string", "description": "Mã trạng thái, như `status`."})
class StatusCodeField(serializers.CharField):
    pass


# One event of `selectors.dossier_timeline_for`: the notes the user may read, as on the applicant's page.
class EventSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    action_label = serializers.CharField()
    from_status = StatusCodeField()
    to_status = StatusCodeField()
    at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True)
    note = serializers.CharField(
        allow_null=True,
        help_text="Ghi chú: cán bộ của cơ quan thấy mọi ghi chú; người nộp thấy ghi chú viết cho mình (yêu cầu "
        "bổ sung, lý do từ chối...), các ghi chú nội bộ là null.",
    )
    postal_tracking_number = serializers.CharField(
        help_text="Số hiệu bưu gửi khi trả kết quả qua bưu chính; chuỗi rỗng với các sự kiện khác."
    )


# A dossier as its applicant or an officer of its agency sees it (class docstrings would become the
# schema's descriptions, which are for API users: the schema's texts are in Vietnamese).
class DossierListSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    national_status_code = serializers.SerializerMethodField(help_text="Mã trạng thái trao đổi với Cổng quốc gia.")
    procedure = ProcedureRefSerializer()
    agency = AgencyRefSerializer()
    channel_label = serializers.CharField(source="get_channel_display")
    applicant_name = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField(help_text="Chỉ cán bộ của cơ quan thấy chuyên viên xử lý.")
    allowed_actions = serializers.SerializerMethodField(
        help_text="Các thao tác người dùng được thực hiện lúc này; đường dẫn: /dossiers/<mã>/<thao-tác>/ "
        "(dấu _ thay bằng -)."
    )

    class Meta:
        model = Dossier
        fields = [
            "code",
            "status",
            "status_label",
            "national_status_code",
            "procedure",
            "agency",
            "channel",
            "channel_label",
            "applicant_name",
            "delivery_method",
            "submitted_at",
            "received_at",
            "due_at",
            "finished_at",
            "timeliness",
            "assignee",
            "allowed_actions",
        ]

    def _user(self):
        return self.context["request"].user

    def get_national_status_code(self, dossier) -> int | None:
        return NATIONAL_STATUS_CODE.get(dossier.status)

    def get_applicant_name(self, dossier) -> str | None:
        user = self._user()
        if dossier.applicant_id == user.pk or user_is_dossier_officer(user=user, dossier=dossier):
            return dossier.applicant_name
        return None

    @extend_schema_field(AssigneeSerializer(allow_null=True))
    def get_assignee(self, dossier):
        if dossier.assignee_id is None or not user_is_dossier_officer(user=self._user(), dossier=dossier):
            return None
        return AssigneeSerializer(dossier.assignee).data

    @extend_schema_field({"type": "array", "items": {"type": "string", "description": "Mã thao tác, như `action`."}})
    def get_allowed_actions(self, dossier):
        return allowed_actions(dossier=dossier, user=self._user())


class DossierDetailSerializer(DossierListSerializer):
    documents = serializers.SerializerMethodField()
    results = serializers.SerializerMethodField(
        help_text="Kết quả giải quyết điện tử (cán bộ của cơ quan thấy cả dự thảo chờ phê duyệt)."
    )
    events = serializers.SerializerMethodField(help_text="Dòng thời gian xử lý hồ sơ.")

    class Meta(DossierListSerializer.Meta):
        fields = [*DossierListSerializer.Meta.fields, "documents", "results", "events"]

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, dossier):
        results = results_for_dossier(dossier=dossier, user=self._user())
        return ResultSerializer(results, many=True, context=self.context).data

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, dossier):
        documents = dossier_documents_for_user(user=self._user(), dossier=dossier)
        return DocumentSerializer(documents, many=True, context=self.context).data

    @extend_schema_field(EventSerializer(many=True))
    def get_events(self, dossier):
        return EventSerializer(dossier_timeline_for(dossier=dossier, user=self._user()), many=True).data


# --- input -------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "description": "Chuỗi JSON của một đối tượng."})
class JSONObjectField(serializers.JSONField):
    # A JSON object, sent as a JSON string in a multipart form or as an object in a JSON body.

    default_error_messages = {"invalid": gettext_lazy("Thông tin kê khai phải là một đối tượng JSON.")}

    def to_internal_value(self, data):
        if isinstance(data, bytes | str):
            try:
                data = json.loads(data)
            except ValueError:
                self.fail("invalid")
        if not isinstance(data, dict):
            self.fail("invalid")
        return data


class DossierCreateSerializer(serializers.Serializer):
    procedure = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Procedure.objects.active(),
        help_text="Mã thủ tục, ví dụ 1.001612.",
        error_messages={"does_not_exist": gettext_lazy("Không có thủ tục đang áp dụng với mã “{value}”.")},
    )
    form_data = JSONObjectField(
        required=False, default=dict, help_text="Thông tin kê khai: chuỗi JSON {tên trường: giá trị}."
    )
    delivery_method = serializers.ChoiceField(choices=DeliveryMethod.choices)
    # By post: the structured address (checked by the same rule as the page's, procedures.addresses) and how the
    # carrier's postage is paid.
    postal_commune = serializers.SlugRelatedField(
        slug_field="code",
        queryset=active_communes(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Nhận qua bưu chính: mã xã, phường nhận (danh mục đơn vị hành chính từ 01/7/2025).",
        error_messages={"does_not_exist": gettext_lazy("Không có xã, phường đang áp dụng với mã “{value}”.")},
    )
    postal_street = serializers.CharField(required=False, allow_blank=True, default="", help_text="Số nhà, đường.")
    postal_receiver_name = serializers.CharField(required=False, allow_blank=True, default="")
    postal_receiver_phone = serializers.CharField(required=False, allow_blank=True, default="")
    postage_payment = serializers.ChoiceField(
        choices=PostagePayment.choices, required=False, allow_blank=True, default="", help_text="Cách trả cước."
    )
    applicant_address = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    applicant_phone = serializers.CharField(required=False, allow_blank=True, default="", max_length=20)

    @staticmethod
    def delivery(data: dict) -> dict:
        """The delivery as dossier_apply takes it."""
        if data["delivery_method"] != DeliveryMethod.POSTAL:
            return {"delivery_method": data["delivery_method"]}
        commune = data["postal_commune"]
        return {
            "delivery_method": data["delivery_method"],
            "postal_address": {
                "commune_id": commune.pk if commune else None,
                "street": data["postal_street"],
                "receiver_name": data["postal_receiver_name"],
                "receiver_phone": data["postal_receiver_phone"],
            },
            "postage_payment": data["postage_payment"],
        }


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    pass


# The longest texts the pages accept (dossiers/forms): an officer's note or reason, and the list of documents to
# supplement written one per line; the applicant's withdrawal reason. Every issued document is laid out for them.
NOTE_MAX_LENGTH = 4000
SUPPLEMENT_ITEMS_MAX_LENGTH = 4000
APPLICANT_REASON_MAX_LENGTH = 2000


def _text(max_length: int = NOTE_MAX_LENGTH, **kwargs):
    return serializers.CharField(required=False, allow_blank=True, default="", max_length=max_length, **kwargs)


class NoteInput(serializers.Serializer):
    note = _text()


class ReceiveInput(NoteInput):
    pass


class RequestSupplementInput(NoteInput):
    items = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text=f"Giấy tờ khác cần bổ sung: tổng độ dài tối đa {SUPPLEMENT_ITEMS_MAX_LENGTH} ký tự, tính như khi "
        "viết mỗi giấy tờ một dòng trên trang của cán bộ.",
    )
    components = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Thành phần hồ sơ của thủ tục cần bổ sung (id).",
    )
    respond_by = serializers.DateField(
        required=False, default=None, help_text="Hạn bổ sung (mặc định SUPPLEMENT_RESPONSE_DAYS ngày)."
    )

    def validate(self, data):
        # Items or components: without either the request asks for nothing, and `items` is told as required.
        if not data.get("items") and not data.get("components"):
            raise serializers.ValidationError({"items": [self.fields["items"].error_messages["required"]]})
        return data

    def validate_items(self, items: list[str]) -> list[str]:
        if len("\n".join(items)) > SUPPLEMENT_ITEMS_MAX_LENGTH:
            raise serializers.ValidationError(
                gettext("Danh sách giấy tờ cần bổ sung dài quá %(limit)s ký tự.")
                % {"limit": SUPPLEMENT_ITEMS_MAX_LENGTH},
                code="max_length",
            )
        return items


class RequestPaymentInput(NoteInput):
    pass


# The applicant's supplement (whose page takes a 2,000-character note) and the one the desk records for an
# applicant without an account (4,000) share this input: the longer limit.
class SupplementInput(NoteInput):
    files = serializers.ListField(child=UploadField(), required=False, default=list, help_text="Tệp bổ sung.")


class RefuseInput(serializers.Serializer):
    reason = _text()


ASSIGNEE_INVALID = gettext_lazy("Người được giao phải là chuyên viên xử lý của cơ quan.")


@extend_schema_field(OpenApiTypes.INT)
class AssigneeField(serializers.PrimaryKeyRelatedField):
    """The id of an active processing officer of the dossier's agency (the serializer's context carries the
    dossier). Any other id, known or not, gets the same message: the API does not tell who exists."""

    default_error_messages = {"does_not_exist": ASSIGNEE_INVALID, "incorrect_type": ASSIGNEE_INVALID}

    def get_queryset(self):
        dossier = self.context.get("dossier")
        if dossier is None:
            return get_user_model().objects.none()
        return processing_officers_for_agency(agency_id=dossier.agency_id)


class ForwardInput(NoteInput):
    assignee = AssigneeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Mã (id) của một chuyên viên xử lý của cơ quan giải quyết hồ sơ (không bắt buộc).",
    )


class AssignInput(serializers.Serializer):
    assignee = AssigneeField(help_text="Mã (id) của một chuyên viên xử lý của cơ quan giải quyết hồ sơ.")
    reason = _text(help_text="Lý do; bắt buộc khi giao lại cho chuyên viên khác.")
    seen_assignee_id = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=ASSIGNEE_NOT_CHECKED,
        help_text="Chuyên viên (id) mà người dùng thấy đang được giao (null: chưa giao ai). Khi gửi, việc giao bị "
        "từ chối (409 assignee_changed) nếu người khác vừa thay đổi; không gửi thì không kiểm tra.",
    )


class ProposeInput(NoteInput):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    result_file = UploadField(
        required=False, allow_null=True, default=None, help_text="Văn bản kết quả (PDF, ký số khi phê duyệt)."
    )


class ApproveInput(NoteInput):
    pass


class SendBackInput(NoteInput):
    pass


class DeliverInput(NoteInput):
    counter_pickup = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Với hồ sơ nhận kết quả qua bưu chính: người nộp đến nhận tại quầy thay vì qua bưu điện (kết quả "
        "gửi qua bưu điện được trả khi bưu điện nhận bưu gửi, với số hiệu bưu điện cấp, không nhập tay).",
    )


class ReplaceResultInput(serializers.Serializer):
    result_file = UploadField(help_text="Văn bản kết quả mới (PDF), được ký số khi gửi.")
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH, help_text="Lý do thay thế.")


class RevokeResultInput(serializers.Serializer):
    reason = serializers.CharField(max_length=NOTE_MAX_LENGTH, help_text="Lý do thu hồi.")


class WithdrawInput(serializers.Serializer):
    reason = _text(APPLICANT_REASON_MAX_LENGTH)


class ApologizeInput(RefuseInput):
    new_due_at = serializers.DateTimeField(help_text="Ngày hẹn trả kết quả mới.")


# --- public lookup -----------------------------------------------------------------------------


class LookupInput(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="Mã hồ sơ, ví dụ 000.00.25.H56-250701-0001.")
    second_factor = serializers.CharField(
        max_length=20, help_text="Ít nhất 4 số cuối của số CCCD / mã số thuế hoặc số điện thoại người nộp."
    )


def lookup_input_plain(data) -> dict | None:
    """`LookupInput(data=data).validated_data` for the usual input, a JSON object whose two values are ASCII strings
    that the serializer accepts as they are but for surrounding blanks (no NUL, not blank, not too long once
    stripped); None for anything else, which the serializer checks and explains. A serializer deep-copies its
    fields on every use: most of the input check's cost, on the portal's most frequent request."""
    if type(data) is not dict:
        return None
    cleaned = {}
    for name, field in LookupInput._declared_fields.items():
        value = data.get(name)
        if type(value) is not str or not value.isascii() or "\x00" in value:
            return None
        value = value.strip()
        if not value or len(value) > field.max_length:
            return None
        cleaned[name] = value
    return cleaned


# The lookup's answer documents itself through the two serializers below; `lookup_payload` builds the same
# dict without DRF's per-field machinery (a third of a cached lookup's time, docs/performance.md), and a test
# holds the two equal.
class LookupEventSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=Action.choices)
    action_label = serializers.CharField(source="label")
    at = serializers.DateTimeField()


# What anyone with the code and the second factor may know (`selectors.PublicDossier`): no personal data.
class LookupSerializer(serializers.Serializer):
    code = serializers.CharField(label=gettext_lazy("Mã hồ sơ"))
    status = serializers.ChoiceField(choices=DossierStatus.choices, label=gettext_lazy("Trạng thái"))
    status_label = serializers.CharField()
    national_status_code = serializers.SerializerMethodField()
    procedure_name = serializers.CharField(source="procedure")
    agency_name = serializers.CharField(source="agency")
    submitted_at = serializers.DateTimeField(allow_null=True, label=gettext_lazy("Nộp lúc"))
    due_at = serializers.DateTimeField(allow_null=True, label=gettext_lazy("Hẹn trả kết quả"))
    timeline = LookupEventSerializer(many=True)
    sections = serializers.SerializerMethodField(
        help_text="Thông tin thêm về hồ sơ, theo từng dịch vụ; `postal`: các bưu gửi (kết quả gửi qua bưu điện, hồ sơ "
        "do bưu điện thu gom), mỗi bưu gửi có chiều, trạng thái và hành trình của bưu điện, không có thông tin "
        "người gửi, người nhận."
    )

    def get_national_status_code(self, found) -> int | None:
        return NATIONAL_STATUS_CODE.get(found.status)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_sections(self, found) -> dict:
        return public_sections_payload(found.sections)


def lookup_payload(found) -> dict:
    """`LookupSerializer(found).data`, built directly: the public lookup is the portal's most frequent request.
    Times as DRF writes them (ISO 8601 in the current time zone, "Z" for UTC); labels in the current language."""
    tz = timezone.get_current_timezone()
    labels = public_labels()
    timeline = [
        {"action": action, "action_label": labels[action], "at": api_datetime(at, tz)} for action, at in found.events
    ]
    return {
        "code": found.code,
        "status": found.status,
        "status_label": labels[found.status],
        "national_status_code": NATIONAL_STATUS_CODE.get(found.status),
        "procedure_name": found.procedure,
        "agency_name": found.agency,
        "submitted_at": api_datetime(found.submitted_at, tz),
        "due_at": api_datetime(found.due_at, tz),
        "timeline": timeline,
        "sections": public_sections_payload(found.sections),
    }


def api_datetime(value, tz=None) -> str | None:
    """A moment as DRF writes it: ISO 8601 in the current time zone (or `tz`), "Z" for UTC."""
    if value is None:
        return None
    text = value.astimezone(tz or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# POST /api/v1/lookup/ {code, second_factor} (never in the address, which logs keep): the same 404 for an
# unknown code and a wrong factor; the attempts of a client address are limited together with the kiosk
# page's (scope "lookup"), and failed attempts per code (scope "lookup-code").
