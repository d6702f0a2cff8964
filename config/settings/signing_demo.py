"""Signing in local development and the tests: the demo root and the agencies' certificates it issues
(dossiers/signing/demo.py), kept in a directory of the checkout. Production refuses both (production.py)."""

from pathlib import Path


def demo_signing(directory: Path) -> dict:
    """The signing settings that sign with the demo certificates kept in `directory`."""
    return {
        "RESULT_SIGNER": "dossiers.signing.demo.DemoSigner",
        "RESULT_SIGNING_DEMO_DIR": directory,
        "RESULT_SIGNING_PKCS12_DIR": str(directory),
        # Known to anyone who reads this file, as the demo's root key lies in the checkout: nothing real is signed.
        "RESULT_SIGNING_PKCS12_PASSWORD": "demo-only",  # noqa: S105
        "RESULT_SIGNING_TRUST_ROOTS": [str(directory / "demo-root.pem")],
    }
