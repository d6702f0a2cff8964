import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, Group, PermissionsMixin
from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import DOSSIER_OFFICER_ROLES, ApplicantType, Role
from .validators import validate_citizen_id, validate_tax_code


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class UserQuerySet(models.QuerySet):
    def with_roles_and_permissions(self):
        """The users with their role names and the ids of their permissions (those given to the user, those of its
        groups) read in the same query, so that `User.role_names` and a permission check
        (`portal.auth.EmailOrIdentifierBackend`, which names the ids from a copy of the permissions kept in the
        process) ask nothing more: three queries fewer on a signed-in page that checks a permission. On PostgreSQL;
        elsewhere (SQLite, `make run`) both are read on first use as before.

        Written in SQL: Django's ArraySubquery took ~1 ms of CPU to compile on every request, more than the query it
        saves; this costs next to nothing (ids, not names: joining the permissions' names nearly doubled the query,
        0.46 -> 0.84 ms a request, most of it planning). It names the users' table itself: for a queryset of users, not
        inside a subquery."""
        connection = connections[self.db]
        if connection.vendor != "postgresql":
            return self
        from django.contrib.postgres.fields import ArrayField

        quote = connection.ops.quote_name
        user_groups, user_permissions = User.groups.through._meta, User.user_permissions.through._meta
        group_permissions = Group.permissions.through._meta

        def column(model_meta, name: str) -> str:
            return quote(model_meta.get_field(name).column)

        # Only the models' table and column names go into the SQL, no value.
        this_user = f"{quote(User._meta.db_table)}.{quote(User._meta.pk.column)}"
        groups_of_user = (
            f"SELECT ug.{column(user_groups, 'group')} FROM {quote(user_groups.db_table)} ug"  # noqa: S608
            f" WHERE ug.{column(user_groups, 'user')} = {this_user}"
        )
        role_names = (
            f"ARRAY(SELECT g.{column(Group._meta, 'name')} FROM {quote(Group._meta.db_table)} g"  # noqa: S608
            f" WHERE g.{column(Group._meta, 'id')} IN ({groups_of_user}))"
        )
        own_permissions = (
            f"ARRAY(SELECT up.{column(user_permissions, 'permission')} FROM {quote(user_permissions.db_table)} up"  # noqa: S608
            f" WHERE up.{column(user_permissions, 'user')} = {this_user})"
        )
        groups_permissions = (
            f"ARRAY(SELECT gp.{column(group_permissions, 'permission')} FROM {quote(group_permissions.db_table)} gp"  # noqa: S608
            f" WHERE gp.{column(group_permissions, 'group')} IN ({groups_of_user}))"
        )
        return self.annotate(
            role_names_read=RawSQL(role_names, (), output_field=ArrayField(models.CharField())),  # noqa: S611
            user_permission_ids_read=RawSQL(own_permissions, (), output_field=ArrayField(models.IntegerField())),  # noqa: S611
            group_permission_ids_read=RawSQL(groups_permissions, (), output_field=ArrayField(models.IntegerField())),  # noqa: S611
        )


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: applicants (citizens, enterprises) and officers.

    Applicants sign in with their e-mail, citizen ID or tax code. Officers belong to one agency;
    their role is a group (see `Role`).
    """

    email = models.EmailField(_("thư điện tử"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("số điện thoại"), max_length=20, blank=True)
    applicant_type = models.PositiveSmallIntegerField(
        _("loại người dùng"), choices=ApplicantType.choices, default=ApplicantType.CITIZEN
    )
    citizen_id = models.CharField(
        _("số CCCD"), max_length=12, blank=True, null=True, unique=True, validators=[validate_citizen_id]
    )
    tax_code = models.CharField(
        _("mã số thuế"), max_length=14, blank=True, null=True, unique=True, validators=[validate_tax_code]
    )
    organization_name = models.CharField(_("tên tổ chức, doanh nghiệp"), max_length=255, blank=True)
    agency = models.ForeignKey(
        "procedures.Agency",
        verbose_name=_("cơ quan công tác"),
        on_delete=models.PROTECT,
        related_name="officers",
        null=True,
        blank=True,
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(
        _("vào trang quản trị"), default=False, help_text=_("Được đăng nhập trang quản trị Django.")
    )
    date_joined = models.DateTimeField(_("ngày đăng ký"), default=timezone.now)
    # The portal notifications not read yet, kept with the notifications (portal.services) so that the header shows
    # the count without a query of its own.
    unread_notifications = models.PositiveIntegerField(_("thông báo chưa đọc"), default=0, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["full_name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(applicant_type=ApplicantType.ENTERPRISE) | Q(tax_code__isnull=False),
                name="enterprise_has_tax_code",
            ),
        ]

    def __str__(self):
        return f"{self.full_name} <{self.email}>"

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.email

    @property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per request object (with the user itself when it was loaded
        `with_roles_and_permissions`)."""
        if not hasattr(self, "_role_names"):
            read = self.__dict__.get("role_names_read")
            self._role_names = frozenset(self.groups.values_list("name", flat=True) if read is None else read)
        return self._role_names

    def has_role(self, role: Role) -> bool:
        return role in self.role_names

    @property
    def is_officer(self) -> bool:
        """Staff of an agency in any role, the agency administrator included (the site shell's agency name)."""
        return self.agency_id is not None and bool(self.role_names - {Role.CITIZEN})

    @property
    def handles_dossiers(self) -> bool:
        """Receives, processes or approves its agency's dossiers (DOSSIER_OFFICER_ROLES): may read them."""
        return self.agency_id is not None and bool(self.role_names & DOSSIER_OFFICER_ROLES)


class OutboxMessage(TimeStampedModel):
    """A notification written in the same transaction as the change it reports (transactional outbox).

    A relay task delivers pending messages and retries failures, so a broker or mail outage at the
    moment of the change loses nothing.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        SMS = "sms", _("Tin nhắn SMS")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    channel = models.CharField(_("kênh gửi"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("người nhận"), max_length=255)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    # Set for messages that must go out at most once (e.g. "dossier X overdue").
    dedupe_key = models.CharField(_("khóa chống gửi trùng"), max_length=120, unique=True, null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("số lần đã thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"), default=timezone.now)
    last_error = models.TextField(_("lỗi lần gửi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo chờ gửi")
        verbose_name_plural = _("hộp thư đi")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.get_channel_display()} → {self.recipient}: {self.subject or self.body[:40]}"


class ApiToken(models.Model):
    """A key an API client sends as `Authorization: Token <key>`. Only the key's SHA-256 is stored: a
    leaked database or backup gives no usable key. A token lives `API_TOKEN_LIFETIME_HOURS` and is
    deleted when its owner revokes it or the owner's password changes (`portal.services`)."""

    user = models.ForeignKey(User, verbose_name=_("chủ sở hữu"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên gợi nhớ"), max_length=100, blank=True)
    key_digest = models.CharField(_("mã băm SHA-256 của mã truy cập"), max_length=64, unique=True)
    last_four = models.CharField(_("4 ký tự cuối"), max_length=4)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "expires_at"], name="api_token_owner_active")]

    def __str__(self):
        return f"…{self.last_four} ({self.user.email})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @staticmethod
    def digest_of(key: str) -> str:
        """What a row stores of its key, and how a presented key is looked up."""
        return hashlib.sha256(key.encode()).hexdigest()


class Notification(models.Model):
    """What the portal tells a user on its own page ("Thông báo"), beside the e-mail and SMS of the outbox: the
    same subject and text, a link to what it is about, and whether the user has read it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo trên Cổng")
        verbose_name_plural = _("thông báo trên Cổng")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return f"{self.user_id}: {self.subject}"


class SignIn(models.Model):
    """One sign-in of a user (the sign-in page, or an API token obtained with the password): when, from which address
    and browser; the user's own account page lists the latest ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(_("lúc"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lần đăng nhập")
        verbose_name_plural = _("lịch sử đăng nhập")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="sign_in_history")]

    def __str__(self):
        return f"{self.user_id} {self.at:%Y-%m-%d %H:%M}"
