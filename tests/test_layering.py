"""The direction of imports between the apps, read from the source (ast), not from what happens to be loaded:

- `portal` ← `procedures` ← `dossiers` ← `payments`: neither procedures nor portal imports dossiers or
  payments, and dossiers never imports payments (a dossier learns of a payment through a service call or a
  signal that payments sends);
- services never import forms: the validation a service needs lives beside it (`dossiers.applicant_data`,
  `dossiers.uploads`), not in a form;
- `sandboxes/` (the bank and the other outside parties' stand-ins) imports no app, and no app imports it: the portal
  reaches a sandbox over HTTP as it reaches the real party;
- `postal` (the carrier integration) may import dossiers, as payments does; dossiers, portal, procedures, payments
  and reporting never import postal (a dossier page shows its parcels through `dossiers.panels`, registered by
  postal), and postal imports neither payments nor reporting;
- `reporting` reads portal, procedures, dossiers and payments, and nothing but `config` imports it (a dossier page
  shows its rating form through `dossiers.panels`, registered by reporting).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "procedures", "dossiers", "payments", "postal", "reporting")
# What each app must never import (itself or any module under it).
FORBIDDEN = {
    "portal": ("dossiers", "payments", "postal", "reporting", "sandboxes"),
    "procedures": ("dossiers", "payments", "postal", "reporting", "sandboxes"),
    "dossiers": ("payments", "postal", "reporting", "sandboxes"),
    "payments": ("postal", "reporting", "sandboxes"),
    "postal": ("payments", "reporting", "sandboxes"),
    "reporting": ("postal", "sandboxes"),
    # The sandboxes are the outside world: reached over HTTP, they import nothing of the portal.
    "sandboxes": ("config", "portal", "procedures", "dossiers", "payments", "postal", "reporting"),
}
SERVICES_FORBIDDEN = ("dossiers.forms", "django.forms")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, absolute; `from x import y` counts as x and as x.y (y may be a module)."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module
            found.add(source)
            found.update(f"{source}.{alias.name}" for alias in node.names)
    return found


def python_files(app: str) -> list[Path]:
    return sorted(path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_relative_imports_resolve_to_their_absolute_module():
    path = ROOT / "dossiers" / "services" / "core.py"

    imported = imported_modules(path)

    assert "dossiers.models" in imported  # from ..models import ...
    assert "dossiers.uploads" in imported  # from ..uploads import ...
    assert "procedures.models" in imported  # absolute


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_imports_point_one_way_between_the_apps(app):
    offending = {
        f"{module_name(path)} imports {module}"
        for path in python_files(app)
        for module in imported_modules(path)
        if any(within(module, forbidden) for forbidden in FORBIDDEN[app])
    }

    assert python_files(app), f"no source found for {app}"
    assert not offending, sorted(offending)


def test_services_never_import_forms():
    services = python_files("dossiers/services")
    offending = {
        f"{module_name(path)} imports {module}"
        for path in services
        for module in imported_modules(path)
        if any(within(module, forbidden) for forbidden in SERVICES_FORBIDDEN)
    }

    assert services
    assert not offending, sorted(offending)


def test_every_app_is_checked():
    apps = {path.name for path in ROOT.iterdir() if (path / "apps.py").exists()}

    assert apps == set(APPS), "a new app: say in FORBIDDEN what it must not import, and what must not import it"
