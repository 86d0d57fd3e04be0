"""The audit trail: every create, change and delete django-simple-history recorded, as one list.

Reads only. Each tracked model has its own history table; a page of the trail costs the same
number of queries whatever it holds:

1. the paginator's total: one COUNT over the UNION ALL of every (scoped, filtered) history table;
2. the page itself: (kind, history_id, history_date) of its entries, from the same UNION, ordered
   newest first and sliced in SQL;
3. per kind of record: its rows in the page's time range together with each row's predecessor
   (the record before it, for the old → new values), one query per kind;
4. the kegiatan's agencies as they were recorded (the only many-to-many history), one query.

``audit_entries`` pages the whole trail for ``/riwayat/``; ``kampung_history`` gives a kampung
page its latest entries. Who may see what: ``permissions.can_view_audit`` and ``_scope`` below.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.paginator import Page, Paginator
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from ..models import (
    Kampung,
    PokjaMembership,
)
from ..models.people import person_name
from ..permissions import (
    can_view_audit,
    has_national_scope,
    kabupaten_read_filter,
    kampung_read_filter,
    whole_provinsi_filter,
)
from .audit_kinds import KAMPUNG_KINDS, KINDS, KINDS_BY_KEY, Kind, kampung_name, related
from .changes import BASELINE_REASON, EMPTY, FieldChange, HistoryRow, changes_between

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

PER_PAGE = 50


KAMPUNG_PAGE_ENTRIES = 10


CREATED, CHANGED, DELETED = "+", "~", "-"


CHANGE_LABELS = {CREATED: _("Dibuat"), CHANGED: _("Diubah"), DELETED: _("Dihapus")}


# --------------------------------------------------------------------------------------------
# Entries
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditEntry:
    """One recorded create, change or delete, with what it changed."""

    kind: str
    kind_label: str
    history_id: int
    object_id: int
    date: datetime.datetime
    change: str  # "+", "~" or "-"
    user: str | None  # None: a script or the system, no signed-in person
    object_label: str
    kampung_code: str | None
    kampung_name: str | None
    kampung_url: str | None
    changes: list[FieldChange] = field(default_factory=list)
    # A change whose earlier state was never recorded (a row loaded in bulk): no old values.
    previous_missing: bool = False

    @property
    def change_label(self) -> str:
        return str(CHANGE_LABELS[self.change])

    @property
    def is_created(self) -> bool:
        return self.change == CREATED

    @property
    def is_deleted(self) -> bool:
        return self.change == DELETED


@dataclass(frozen=True)
class AuditFilters:
    kampung: str = ""  # a code (or its start: "63.01.01") or part of a name
    user: str = ""  # part of a username or a person's name
    date_from: datetime.date | None = None  # in WITA, inclusive
    date_to: datetime.date | None = None  # in WITA, inclusive
    kind: str = ""  # a Kind key


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _kampung_match(text: str) -> Q:
    if re.fullmatch(r"[\d.]+", text):
        return Q(desa_kode__startswith=text)
    return Q(nama_kampung__icontains=text) | Q(desa_nama__icontains=text)


def _scope(kind: Kind, user: User | AnonymousUser) -> Q | None:
    """Which of the kind's history rows the viewer may read (None: all of them).

    DP3A staff and reviewers read the records of their regions: a kampung's records by the
    kampung's kabupaten/provinsi; accounts only of Pokja members of kampung in reach (and their
    own); region scopes and target policies by their kabupaten/provinsi. The agency and programme
    lists are the same everywhere.
    """
    if has_national_scope(user):
        return None
    if kind.kampung == "self":
        return kampung_read_filter(user)
    if kind.kampung == "kampung":
        return kampung_read_filter(user, "kampung__")
    if kind.key == "akun":
        members = PokjaMembership.objects.filter(kampung_read_filter(user, "kampung__"))
        return Q(id=user.pk) | Q(id__in=members.values("user_id"))
    if kind.key == "cakupan":
        kabupaten = kabupaten_read_filter(user, "kabupaten")
        provinsi = whole_provinsi_filter(user, "provinsi")
        if kabupaten is None or provinsi is None:  # no limit: a national scope, as above
            return None
        return Q(user_id=user.pk) | kabupaten | provinsi
    if kind.key == "target":
        return kabupaten_read_filter(user, "kabupaten")
    return None


def _kampung_q(kind: Kind, kampung_ids: Iterable[Any]) -> Q:
    return Q(id__in=kampung_ids) if kind.kampung == "self" else Q(kampung_id__in=kampung_ids)


def _parts(*, user: User | AnonymousUser, filters: AuditFilters) -> list[tuple[Kind, Q]]:
    """Each kind the filters leave in, with the condition on its history rows."""
    matching = None
    if filters.kampung.strip():
        matching = Kampung.objects.filter(_kampung_match(filters.kampung.strip())).values("pk")
    parts = []
    for kind in KINDS:
        if filters.kind and filters.kind != kind.key:
            continue
        if matching is not None and kind.kampung is None:
            continue
        condition = ~Q(history_change_reason=BASELINE_REASON)
        if kind.skip_unchanged:
            # A Q at runtime (Q | Exists, Q._combine); the stubs only know Q | Q.
            condition &= ~Q(history_type=CHANGED) | ~_unchanged(kind)  # type: ignore[assignment]
        scope = _scope(kind, user)
        if scope is not None:
            condition &= scope
        if matching is not None:
            condition &= _kampung_q(kind, matching)
        if filters.user.strip():
            text = filters.user.strip()
            condition &= (
                Q(history_user__username__icontains=text)
                | Q(history_user__first_name__icontains=text)
                | Q(history_user__last_name__icontains=text)
            )
        if filters.date_from:
            condition &= Q(history_date__gte=_start_of(filters.date_from))
        if filters.date_to:
            condition &= Q(history_date__lt=_start_of(filters.date_to + datetime.timedelta(1)))
        parts.append((kind, condition))
    return parts


def _union(parts: list[tuple[Kind, Q]]) -> QuerySet[Any, tuple[str, int, datetime.datetime]]:
    """(kind, history_id, history_date) of every row the parts select, as one UNION ALL."""
    selects: list[QuerySet[Any, tuple[str, int, datetime.datetime]]] = [
        kind.history_model.objects.filter(condition)
        .order_by()
        .annotate(audit_kind=Value(kind.key, output_field=CharField()))
        .values_list("audit_kind", "history_id", "history_date")
        for kind, condition in parts
    ]
    if len(selects) == 1:
        return selects[0]
    return selects[0].union(*selects[1:], all=True)


def _earlier(outer: Callable[[str], OuterRef]) -> Q:
    """Rows recorded before the row ``outer`` refers to (ties on the date broken by id)."""
    return Q(history_date__lt=outer("history_date")) | Q(
        history_date=outer("history_date"), history_id__lt=outer("history_id")
    )


def _unchanged(kind: Kind) -> Exists:
    """The outer row is a change whose shown fields equal those of the record before it."""
    history = kind.history_model

    def outer(name: str) -> OuterRef:
        return OuterRef(OuterRef(name))

    previous = (
        history.objects.filter(_earlier(outer), id=outer("id"))
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    same = {f.attname: OuterRef(f.attname) for f in kind.fields}
    return Exists(history.objects.filter(history_id=Subquery(previous), **same))


def _previous(kind: Kind) -> Subquery:
    """The history_id of the record before the outer row (of the same object or kampung)."""
    history = kind.history_model
    key = kind.predecessor_by
    rows = history.objects.filter(_earlier(OuterRef), **{key: OuterRef(key)})
    if kind.predecessor_by != "id":
        rows = rows.exclude(history_type=DELETED)
    return Subquery(rows.order_by("-history_date", "-history_id").values("history_id")[:1])


def _fetch(kind: Kind, listed: Q) -> tuple[dict[int, HistoryRow], dict[int, list[str]]]:
    """The kind's rows matching ``listed`` and each one's predecessor (one query), by history_id;
    with the kegiatan's agencies as recorded in each of them (one more query)."""
    history = kind.history_model
    predecessors = history.objects.filter(listed).annotate(previous_id=_previous(kind))
    wanted = listed | Q(history_id__in=predecessors.values("previous_id"))
    rows = (
        history.objects.filter(wanted)
        .annotate(previous_id=_previous(kind))
        .select_related(*kind.relations)
    )
    if kind.kampung == "kampung":
        rows = rows.defer("kampung__boundary")
    by_id = {row.history_id: row for row in rows}
    related_names: dict[int, list[str]] = {}
    for name in kind.m2m:
        through = apps.get_model(history._meta.app_label, f"{history.__name__}_{name}")
        # A many-to-many field: its related_model is a model class once the apps are loaded.
        target = kind.model._meta.get_field(name).related_model._meta.model_name  # type: ignore[union-attr]
        links = through.objects.filter(
            history_id__in=history.objects.filter(wanted).values("history_id")
        ).values_list("history_id", f"{target}_id", f"{target}__name")
        for history_id, target_id, label in links:
            related_names.setdefault(history_id, []).append(label or f"#{target_id}")
    return by_id, related_names


def _m2m_change(kind: Kind, before: list[str] | None, after: list[str]) -> list[FieldChange]:
    # A many-to-many field of the model, never a reverse relation: it has a verbose_name.
    label = capfirst(kind.model._meta.get_field(kind.m2m[0]).verbose_name)  # type: ignore[union-attr]
    old, new = sorted(before or []), sorted(after)
    if old == new:
        return []
    return [FieldChange(label=label, before=", ".join(old) or EMPTY, after=", ".join(new) or EMPTY)]


def _entry(
    kind: Kind, row: HistoryRow, rows: dict[int, HistoryRow], m2m: dict[int, list[str]]
) -> AuditEntry:
    previous = rows.get(row.previous_id) if row.previous_id else None
    names = [f.name for f in kind.fields]
    change = row.history_type
    changes: list[FieldChange] = []
    missing = False
    if change == CHANGED and previous is None:
        missing = True
    elif change == CHANGED or (change == CREATED and kind.predecessor_by != "id"):
        changes = changes_between(previous, row, names)
        if kind.m2m:
            before = m2m.get(previous.history_id, []) if previous else None
            changes += _m2m_change(kind, before, m2m.get(row.history_id, []))
        if change == CREATED and previous is not None:
            change = CHANGED  # a new version of the kampung's profile: shown as a change of it
    elif change == CREATED:
        changes = changes_between(None, row, names)
        if kind.m2m and m2m.get(row.history_id):
            changes += _m2m_change(kind, None, m2m[row.history_id])
    code = name = url = None
    if kind.kampung == "self":
        code, name = row.desa_kode, kampung_name(row)
    elif kind.kampung == "kampung":
        kampung = related(row, "kampung")
        if isinstance(kampung, Kampung):  # None when the kampung has been deleted since
            code, name = kampung.desa_kode, kampung.display_name
        else:
            name = str(_("kampung #%(id)s (dihapus)") % {"id": row.kampung_id})
    # A deleted kampung has no page; a kampung's deleted record still has its kampung's.
    if code and not (kind.kampung == "self" and change == DELETED):
        url = reverse("classification:kampung_detail", args=[code])
    user = row.history_user
    return AuditEntry(
        kind=kind.key,
        kind_label=str(kind.label),
        history_id=row.history_id,
        object_id=row.id,
        date=row.history_date,
        change=change,
        user=person_name(user) if user is not None else None,
        object_label=kind.describe(row),
        kampung_code=code,
        kampung_name=name,
        kampung_url=url,
        changes=changes,
        previous_missing=missing,
    )


def _entries(parts: list[tuple[Kind, Q]], start: int, stop: int) -> list[AuditEntry]:
    if not parts or stop <= start:
        return []
    keys = list(_union(parts).order_by("-history_date", "audit_kind", "-history_id")[start:stop])
    if not keys:
        return []
    low, high = min(key[2] for key in keys), max(key[2] for key in keys)
    fetched = {}
    for kind, condition in parts:
        # Every row of the page lies in [low, high]; rows of neighbouring pages that share a
        # boundary timestamp come along too and are simply not used.
        listed = condition & Q(history_date__gte=low, history_date__lte=high)
        fetched[kind.key] = _fetch(kind, listed)
    entries = []
    for kind_key, history_id, _date in keys:
        rows, m2m = fetched[kind_key]
        entries.append(_entry(KINDS_BY_KEY[kind_key], rows[history_id], rows, m2m))
    return entries


class _Trail:
    """The filtered trail as a lazy sequence for Django's Paginator: ``count()`` and slices."""

    def __init__(self, parts: list[tuple[Kind, Q]]) -> None:
        self.parts = parts

    def count(self) -> int:
        return _union(self.parts).count() if self.parts else 0

    def __getitem__(self, window: slice) -> list[AuditEntry]:
        return _entries(self.parts, window.start or 0, window.stop or 0)


def audit_entries(
    *,
    user: User | AnonymousUser,
    filters: AuditFilters | None = None,
    page: int | str | None = 1,
    per_page: int = PER_PAGE,
) -> Page[AuditEntry]:
    """One page of the audit trail the user may read, newest first.

    Queries: a COUNT, the page's keys, one per kind of record left in by the filters (13 with no
    kind or kampung filter), one for the kegiatan's agencies; none when the user may not read the
    trail (a Pokja member: permissions.can_view_audit), and only the COUNT when nothing matches.
    """
    parts = _parts(user=user, filters=filters or AuditFilters()) if can_view_audit(user) else []
    # Paginator only counts and slices its list; its stub asks for a whole sequence.
    return Paginator(_Trail(parts), per_page).get_page(page)  # type: ignore[arg-type]


def kampung_history(*, kampung: Kampung, limit: int = KAMPUNG_PAGE_ENTRIES) -> list[AuditEntry]:
    """The latest entries of one kampung's own records (identity, levels, assessments, profile,
    figures, activities, programme tags, Pokja seats), newest first.

    The caller checks who may see them (``permissions.can_view_kampung_history``). Queries: the
    entries' keys, one per kind (8), the kegiatan's agencies: 10 whatever the history holds.
    """
    parts = [
        (kind, ~Q(history_change_reason=BASELINE_REASON) & _kampung_q(kind, [kampung.pk]))
        for kind in KAMPUNG_KINDS
    ]
    return _entries(parts, 0, limit)
