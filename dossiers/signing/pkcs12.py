"""The agencies' keys as PKCS#12 files on the server: the administrator's `SigningCredential` of the agency (path and
password), else `<RESULT_SIGNING_PKCS12_DIR>/<agency code>.p12` with `RESULT_SIGNING_PKCS12_PASSWORD` (the
environment). The file holds the agency's key, its certificate and the chain up to the root."""

from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers

from ..error_codes import ErrorCode
from ..models import SigningCredential
from .base import PyHankoSigner, SigningRefused


class Pkcs12Signer(PyHankoSigner):
    def credential_for(self, agency) -> tuple[Path, str]:
        """The PKCS#12 file of `agency` and its password."""
        credential = SigningCredential.objects.filter(agency=agency).first()
        if credential is not None:
            return Path(credential.pkcs12_path), credential.password
        if not settings.RESULT_SIGNING_PKCS12_DIR:
            raise SigningRefused(
                _("Cơ quan %(agency)s chưa được cấu hình chứng thư số để ký kết quả.") % {"agency": agency.name},
                ErrorCode.SIGNING_UNAVAILABLE,
            )
        return Path(settings.RESULT_SIGNING_PKCS12_DIR) / f"{agency.code}.p12", settings.RESULT_SIGNING_PKCS12_PASSWORD

    def pyhanko_signer(self, agency) -> signers.SimpleSigner:
        path, password = self.credential_for(agency)
        try:
            data = path.read_bytes()
        except OSError:
            raise SigningRefused(
                _("Không đọc được tệp chứng thư số của %(agency)s. Hãy liên hệ quản trị hệ thống.")
                % {"agency": agency.name},
                ErrorCode.SIGNING_UNAVAILABLE,
            ) from None
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=password.encode() or None)
        except (ValueError, TypeError):
            signer = None
        if signer is None or signer.signing_cert is None:
            raise SigningRefused(
                _("Tệp chứng thư số của %(agency)s không mở được (sai mật khẩu hoặc không phải PKCS#12).")
                % {"agency": agency.name},
                ErrorCode.SIGNING_UNAVAILABLE,
            )
        return signer
