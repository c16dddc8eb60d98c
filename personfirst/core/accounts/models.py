"""People who sign in, and the API tokens they hold."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.contrib import auth
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils import timezone


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra) -> User:
        # A superuser gets nothing the rules do not give (User.has_perm): to
        # run the service, give the account a platform administrator role
        # (manage.py grant_role EMAIL platform_admin).
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email=normalise_email(username or ""))


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in. What they may do comes from their role grants
    (access.RoleGrant) through the rules, never from this row: being a
    superuser, or holding a Django model permission, opens nothing."""

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    # Django's PermissionsMixin answers every question "yes" for an active
    # superuser without asking anyone. Here only the authentication backends
    # answer (the rules, through django-rules' backend), for everyone alike.
    def has_perm(self, perm: str, obj=None) -> bool:
        if not self.is_active:
            return False
        for backend in auth.get_backends():
            if not hasattr(backend, "has_perm"):
                continue
            try:
                if backend.has_perm(self, perm, obj):
                    return True
            except PermissionDenied:
                return False
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return all(self.has_perm(perm, obj) for perm in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        if not self.is_active:
            return False
        for backend in auth.get_backends():
            if not hasattr(backend, "has_module_perms"):
                continue
            try:
                if backend.has_module_perms(self, app_label):
                    return True
            except PermissionDenied:
                return False
        return False

    def get_additional_data(self) -> dict:
        # Audit entries about a person are not tied to one organisation.
        return {}


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token. Only a hash is stored; the token is shown once.

    A token works until it expires or is revoked, and only for what its scopes
    allow (``scopes_needed``): on top of its owner's own permissions, never
    instead of them."""

    PREFIX = "pf_"
    READ = "read"
    WRITE = "write"
    PEOPLE = "people"
    # Each scope, in the service's words (the tokens page and docs/api.md).
    SCOPES = {
        READ: "Read: see what you can see",
        WRITE: "Write: change what you can change",
        PEOPLE: "People's records: read them (and, with write, change them)",
    }
    ALL_SCOPES = (READ, WRITE, PEOPLE)
    LIFETIMES = (30, 90, 365)  # days a token may be made to last
    DEFAULT_DAYS = 90

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(max_length=12, editable=False)
    scopes = models.JSONField(default=list, help_text="What the token may be used for: read, write, people")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.is_expired else "active"

    def scope_labels(self) -> list[str]:
        return [self.SCOPES[scope] for scope in self.ALL_SCOPES if scope in self.scopes]

    @classmethod
    def issue(
        cls, user: User, name: str, *, scopes: tuple[str, ...] | list[str] = ALL_SCOPES, days: int = DEFAULT_DAYS
    ) -> tuple[ApiToken, str]:
        unknown = set(scopes) - set(cls.ALL_SCOPES)
        if unknown or not scopes:
            raise ValueError(f"Scopes must be some of {', '.join(cls.ALL_SCOPES)}")
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_hash=_hash_token(raw),
            hint=raw[:10],
            scopes=[scope for scope in cls.ALL_SCOPES if scope in scopes],
            expires_at=timezone.now() + timedelta(days=days),
        )
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The working token with this value: not revoked, not expired, its owner's account open."""
        now = timezone.now()
        token = (
            cls.objects.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
            .first()
        )
        if token is not None and (token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60):
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token

    @classmethod
    def user_for(cls, raw: str) -> User | None:
        token = cls.find(raw)
        return token.user if token is not None else None

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


def scopes_needed(method: str, area: str | None = None) -> tuple[str, ...]:
    """The scopes a token needs for a request: read to look, write to change,
    and the area's own scope (people's records) on top, where there is one."""
    needed = (ApiToken.READ,) if method.upper() in ("GET", "HEAD", "OPTIONS") else (ApiToken.WRITE,)
    return needed + ((area,) if area else ())


class RequestCount(models.Model):
    """How many requests one key (an address, a client) has made in one
    window of time, for throttling (accounts/throttling.py). The key is a
    keyed hash, so the table holds no address in a form anyone can read
    back; a row is deleted once its window has ended."""

    key = models.CharField(max_length=64, unique=True)
    window_end = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} until {self.window_end:%H:%M}"
