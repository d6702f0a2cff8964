"""The demo's certificates, made with `cryptography`: one root (its subject carries
`settings.RESULT_SIGNING_DEMO_MARKER`, which production refuses) and one certificate per agency, in PKCS#12 files that
`Pkcs12Signer` reads. `make run` (load_demo) and the tests sign for real with them; `DemoSigner` issues the
certificate of an agency created later on its first signature. Never for real documents: the root's key lies in
the checkout."""

import threading
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings

from ..models import SigningCredential
from .pkcs12 import Pkcs12Signer

ROOT_CERTIFICATE = "demo-root.pem"
ROOT_KEY = "demo-root-key.pem"
# Demo certificates hold over any date a test or a demo moves the clock to (an expired one is made on purpose).
DEMO_VALID_FROM = datetime(2020, 1, 1, tzinfo=UTC)
DEMO_VALID_UNTIL = datetime(2099, 12, 31, tzinfo=UTC)
_lock = threading.Lock()


def demo_directory() -> Path:
    return Path(settings.RESULT_SIGNING_DEMO_DIR)


def _fit(value: str) -> str:
    """At most 64 characters as X.509 counts them (UTF-8 bytes): long agency names are cut."""
    while len(value.encode()) > 64:
        value = value[:-1]
    return value


def _name(common_name: str, organization: str, unit: str = "") -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, _fit(organization)),
        x509.NameAttribute(NameOID.COMMON_NAME, _fit(common_name)),
    ]
    if unit:
        attributes.insert(2, x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    return x509.Name(attributes)


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing,
        content_commitment=signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not signing,
        crl_sign=not signing,
        encipher_only=False,
        decipher_only=False,
    )


def demo_root() -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """The demo root certificate and key, made on first use in the demo directory."""
    directory = demo_directory()
    with _lock:
        if not (directory / ROOT_CERTIFICATE).exists():
            directory.mkdir(parents=True, exist_ok=True)
            key = ec.generate_private_key(ec.SECP256R1())
            name = _name("Demo Root CA", "Cổng Dịch vụ công (DEMO)", settings.RESULT_SIGNING_DEMO_MARKER)
            certificate = (
                x509.CertificateBuilder()
                .subject_name(name)
                .issuer_name(name)
                .public_key(key.public_key())
                .serial_number(x509.random_serial_number())
                .not_valid_before(DEMO_VALID_FROM)
                .not_valid_after(DEMO_VALID_UNTIL)
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(_key_usage(signing=False), critical=True)
                .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
                .sign(key, hashes.SHA256())
            )
            (directory / ROOT_KEY).write_bytes(
                key.private_bytes(
                    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            )
            # The certificate last: its presence says the pair is complete.
            (directory / ROOT_CERTIFICATE).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    certificate = x509.load_pem_x509_certificate((directory / ROOT_CERTIFICATE).read_bytes())
    key = serialization.load_pem_private_key((directory / ROOT_KEY).read_bytes(), password=None)
    return certificate, key


def issue_agency_certificate(
    agency, *, path: Path | None = None, not_before: datetime | None = None, not_after: datetime | None = None
) -> Path:
    """A PKCS#12 file for `agency` (its key, a certificate from the demo root naming it, and the root), with the demo
    password; at `<demo directory>/<agency code>.p12` unless `path` says where. Valid over the demo's whole span unless
    told otherwise (the tests make an expired one)."""
    root, root_key = demo_root()
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(agency.name, agency.name, agency.code))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or DEMO_VALID_FROM)
        .not_valid_after(not_after or DEMO_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
        .sign(root_key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        agency.code.encode(),
        key,
        certificate,
        [root],
        serialization.BestAvailableEncryption(settings.RESULT_SIGNING_PKCS12_PASSWORD.encode()),
    )
    path = path or demo_directory() / f"{agency.code}.p12"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def ensure_demo_certificates(agencies) -> int:
    """A certificate for each agency that has none yet (load_demo); how many were made."""
    made = 0
    for agency in agencies:
        if not (demo_directory() / f"{agency.code}.p12").exists():
            issue_agency_certificate(agency)
            made += 1
    return made


class DemoSigner(Pkcs12Signer):
    """`Pkcs12Signer` whose agencies without a file of their own get one from the demo root on their first signature.
    Local development and the tests only: production refuses it."""

    def credential_for(self, agency) -> tuple[Path, str]:
        path, password = super().credential_for(agency)
        if not path.exists() and not SigningCredential.objects.filter(agency=agency).exists():
            issue_agency_certificate(agency, path=path)
        return path, password
