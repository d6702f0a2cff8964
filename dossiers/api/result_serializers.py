"""A dossier's electronic results as its detail in the API lists them (`DossierDetailSerializer.results`)."""

from django.urls import reverse
from rest_framework import serializers

from ..models import IssuedResult
from ..services.results import verification_url


class ResultSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    verification_url = serializers.SerializerMethodField(help_text="Trang xác thực công khai (địa chỉ trong mã QR).")
    download_url = serializers.SerializerMethodField(help_text="Tệp PDF đã ký số; null khi chưa ký.")

    class Meta:
        model = IssuedResult
        fields = [
            "id",
            "status",
            "status_label",
            "issued_at",
            "sha256",
            "certificate_subject",
            "ended_at",
            "end_reason",
            "verification_url",
            "download_url",
        ]

    def get_verification_url(self, result) -> str:
        return verification_url(result)

    def get_download_url(self, result) -> str | None:
        if not result.is_signed:
            return None
        url = reverse("dossiers:result-download", args=[result.dossier_id, result.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url
