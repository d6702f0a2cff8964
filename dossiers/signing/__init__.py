"""Signing and verifying electronic results (PAdES, with pyHanko).

- `base`: what a signer is (`ResultSigner.sign`), the stamp it draws, the refusals it raises, and `PyHankoSigner`,
  which does the PDF work for any key pyHanko can use (a PKCS#12 file, a PKCS#11 token, a remote service).
- `registry`: the signer the settings name (`RESULT_SIGNER`).
- `pkcs12`: the implementation built now, a PKCS#12 file per agency.
- `stamp`: the visible stamp (agency, signer, time, QR code to the verification page).
- `verify`: what pyHanko's own validation says of a PDF, against the portal's trust roots.
- `demo`: the demo root certificate and the agencies' certificates of `make run` and the tests; production refuses it.

docs/signing.md says how a hardware token or a remote signing service plugs in.
"""
