"""The role groups and their model permissions, kept in step after every migrate."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes

from .constants import Role

# Model permissions ("app.codename") each role's group carries. Object-level rules (an officer
# sees only its agency) live in the selectors and the admin classes.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CITIZEN: [],
    Role.RECEPTION_OFFICER: [],
    Role.PROCESSING_OFFICER: [],
    Role.APPROVER: [],
    Role.AGENCY_ADMIN: [
        "procedures.view_agency",
        "procedures.view_field",
        "procedures.view_procedure",
        "procedures.add_procedure",
        "procedures.change_procedure",
        "procedures.view_requireddocument",
        "procedures.add_requireddocument",
        "procedures.change_requireddocument",
        "procedures.delete_requireddocument",
    ],
}


def sync_role_groups(*, using: str = "default", **kwargs) -> None:
    """Create the role groups and set their permissions (idempotent; runs after migrate)."""
    Group = global_apps.get_model("auth", "Group")
    Permission = global_apps.get_model("auth", "Permission")
    for app_config in global_apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0, using=using)
        create_permissions(app_config, verbosity=0, using=using)
    for role, names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for name in names:
            app_label, codename = name.split(".")
            wanted.append(Permission.objects.using(using).get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
