"""What is missing for the next level: each group's gap and the smallest changes that close it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .inputs import KampungInputs
from .levels import DEFAULT_LABELS, Level
from .numbers import format_decimal, percent
from .scoring import (
    MAX_SCORES,
    MAXIMUMS,
    MET_THRESHOLD,
    MINIMUMS,
    SCORERS,
    GroupIndices,
    Scores,
    average_share,
    cpr_percent,
    group_indices,
    is_met,
    kb_users,
    level_for_met,
    mean_of,
    mkjp_percent,
    mkjp_users,
    participation_percent,
    poktan_participation,
    score_indicators,
    unmet_count,
    unmet_need_percent,
)
from .vocabularies import (
    DATA_SOURCES,
    FUNDING_SOURCES,
    GROUP_INDICATORS,
    GROUP_LABELS,
    GROUPS,
    INDICATOR_LABELS,
    MECHANISMS,
    POKTAN,
    POKTAN_TARGETS,
    SHORT_TERM_METHODS,
    UNMET_NEED_REASONS,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def _target_group(code: str, count: int) -> str:
    """A poktan's target group, counted: "200 keluarga dengan balita"."""
    if code == "bkb":
        text = ngettext(
            "%(count)s keluarga dengan balita", "%(count)s keluarga dengan balita", count
        )
    elif code == "bkr":
        text = ngettext(
            "%(count)s keluarga dengan remaja", "%(count)s keluarga dengan remaja", count
        )
    elif code == "bkl":
        text = ngettext(
            "%(count)s keluarga dengan lansia", "%(count)s keluarga dengan lansia", count
        )
    elif code == "uppka":
        text = ngettext("%(count)s keluarga", "%(count)s keluarga", count)
    else:
        text = ngettext("%(count)s remaja", "%(count)s remaja", count)
    return text % {"count": _fmt(count)}


# --------------------------------------------------------------------------------------------
# What is missing for the next level
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One edit of a what-if on ``KampungInputs``.

    A ``bool`` value sets the field, a ``frozenset`` adds codes to it, an ``int`` is added to
    the count (negative to take away; a blank count counts as 0).
    """

    name: str
    value: bool | int | frozenset[str]


@dataclass(frozen=True)
class Suggestion:
    """A concrete change that raises one indicator by at least one score band."""

    group: str
    indicator: str
    current_score: int
    target_score: int
    text: str
    changes: tuple[Change, ...]

    @property
    def points(self) -> int:
        """Score points this suggestion adds to its group."""
        return self.target_score - self.current_score


@dataclass(frozen=True)
class GroupGap:
    """A group that must become met, with how far it is and the options to get there.

    ``suggestions`` lists, for every indicator below its maximum, the change that raises it one
    band; when those are not enough points, further bands follow (each after its indicator's
    earlier ones). When ``sufficient``, applying suggestions in list order until their
    ``points`` reach ``points_needed`` makes the group met (suggestions never lower another
    indicator). ``notes`` name figures to fill in before an indicator can be planned.
    """

    group: str
    index: Decimal
    points_needed: int
    suggestions: tuple[Suggestion, ...]
    notes: tuple[str, ...] = ()

    @property
    def sufficient(self) -> bool:
        """Whether the suggestions together add at least ``points_needed``."""
        return sum(s.points for s in self.suggestions) >= self.points_needed

    @property
    def heading(self) -> str:
        """E.g. "Input 2,60 → perlu 2 poin lagi agar indeks mencapai 3,00"."""
        return ngettext(
            "%(group)s %(index)s → perlu %(points)s poin lagi agar indeks mencapai %(threshold)s",
            "%(group)s %(index)s → perlu %(points)s poin lagi agar indeks mencapai %(threshold)s",
            self.points_needed,
        ) % {
            "group": GROUP_LABELS[self.group],
            "index": format_decimal(self.index),
            "points": self.points_needed,
            "threshold": format_decimal(MET_THRESHOLD),
        }


@dataclass(frozen=True)
class NextLevelPlan:
    """What the kampung needs for a higher estimated level; no groups at paripurna.

    ``target_level`` is the level reached once every group in ``groups`` is met: the next
    level, or one above it when that is the cheaper way up (see ``next_level_plan``).
    """

    current_level: Level
    target_level: Level | None
    groups: tuple[GroupGap, ...]

    def texts(self, labels: Mapping[str, str] | None = None) -> list[str]:
        """The plan as plain lines in the active language (Bahasa Indonesia: decimal comma),
        headings first per group."""
        if self.target_level is None:
            return []
        names = {**DEFAULT_LABELS, **(labels or {})}
        groups = _join([str(GROUP_LABELS[gap.group]) for gap in self.groups], "and")
        lines = [
            ngettext(
                "Menuju %(level)s: indeks %(groups)s harus mencapai minimal %(threshold)s",
                "Menuju %(level)s: indeks %(groups)s harus mencapai minimal %(threshold)s",
                len(self.groups),
            )
            % {
                "level": names[self.target_level.value],
                "groups": groups,
                "threshold": format_decimal(MET_THRESHOLD),
            }
        ]
        for gap in self.groups:
            lines.append(gap.heading)
            lines.extend(gap.notes)
            lines.extend(s.text for s in gap.suggestions)
        return lines


def _fmt(count: int) -> str:
    """A count for users, grouped as the active language does ("1.250"; English "1,250")."""
    return number_format(count, force_grouping=True)


def _join(items: Sequence[str], conjunction: str) -> str:
    """``items`` as a list in a sentence: "A, B dan C" (conjunction "and") or "A, B atau C"
    ("or"), in the active language."""
    if len(items) <= 1:
        return "".join(items)
    parts = {"items": ", ".join(items[:-1]), "last": items[-1]}
    if conjunction == "or":
        # Translators: the end of a list of options to choose from: "APBN, APBD atau CSR".
        return _("%(items)s atau %(last)s") % parts
    # Translators: the end of a list: "Input dan Proses", "UPPKA dan PIK-R".
    return _("%(items)s dan %(last)s") % parts


def apply_changes(inputs: KampungInputs, changes: Iterable[Change]) -> KampungInputs:
    """A copy of ``inputs`` with ``changes`` applied (see ``Change``)."""
    updates: dict[str, Any] = {}
    for change in changes:
        current = updates.get(change.name, getattr(inputs, change.name))
        if isinstance(change.value, bool):
            updates[change.name] = change.value
        elif isinstance(change.value, frozenset):
            updates[change.name] = current | change.value
        else:
            updates[change.name] = (current or 0) + change.value
    return replace(inputs, **updates)


def points_needed(scores: Sequence[int]) -> int:
    """Score points a group still needs for its index to reach 3.00 (0 when met)."""
    total, count, extra = sum(scores), len(scores), 0
    while not is_met(mean_of(total + extra, count)):
        extra += 1
    return extra


def _smallest(low: int, high: int, ok: Callable[[int], bool]) -> int | None:
    """The smallest n in low..high with ok(n), for ok monotone in n; None if there is none."""
    if high < low or not ok(high):
        return None
    while low < high:
        middle = (low + high) // 2
        if ok(middle):
            high = middle
        else:
            low = middle + 1
    return low


def _take(inputs: KampungInputs, fields: Sequence[str], amount: int) -> list[Change]:
    """Changes removing ``amount`` from ``fields``, largest count first."""
    changes: list[Change] = []
    for name in sorted(fields, key=lambda n: -(getattr(inputs, n) or 0)):
        taken = min(amount, getattr(inputs, name) or 0)
        if taken:
            changes.append(Change(name, -taken))
            amount -= taken
    return changes


# A step is (action text, changes), or a note (str) when figures must be filled in first.
_Step = tuple[str, tuple[Change, ...]] | str


def _set_step(
    inputs: KampungInputs,
    code: str,
    name: str,
    score: int,
    vocabulary: Mapping[str, StrOrPromise],
    later: bool = False,
) -> _Step:
    current: frozenset[str] = getattr(inputs, name)
    missing = [c for c in vocabulary if c not in current]
    needed = MINIMUMS[code][score - 1] - len(current)
    labels = [str(vocabulary[c]) for c in missing]
    counts = {"current": len(current), "total": len(vocabulary)}
    if later:
        status = _("setelah langkah sebelumnya: %(current)s dari %(total)s") % counts
    else:
        status = _("sekarang %(current)s dari %(total)s") % counts
    if needed == len(missing):
        values: dict[str, object] = {"chosen": _join(labels, "and"), "status": status}
        if code == "i2":
            action = ngettext(
                "Tambahkan sumber dana %(chosen)s (%(status)s)",
                "Tambahkan sumber dana %(chosen)s (%(status)s)",
                len(labels),
            )
        elif code == "i3":
            action = _("Bentuk poktan %(chosen)s (%(status)s)")
        elif code == "p1":
            action = _("Gunakan %(chosen)s dalam perencanaan (%(status)s)")
        else:
            action = _("Laksanakan %(chosen)s (%(status)s)")
        return action % values, (Change(name, frozenset(missing[:needed])),)
    values = {"count": needed, "options": _join(labels, "or"), "status": status}
    if code == "i2" and current:
        action = ngettext(
            "Tambahkan %(count)s sumber dana lagi, pilih dari: %(options)s (%(status)s)",
            "Tambahkan %(count)s sumber dana lagi, pilih dari: %(options)s (%(status)s)",
            needed,
        )
    elif code == "i2":
        action = ngettext(
            "Tambahkan %(count)s sumber dana, pilih dari: %(options)s (%(status)s)",
            "Tambahkan %(count)s sumber dana, pilih dari: %(options)s (%(status)s)",
            needed,
        )
    elif code == "i3" and current:
        action = ngettext(
            "Bentuk %(count)s poktan lagi, pilih dari: %(options)s (%(status)s)",
            "Bentuk %(count)s poktan lagi, pilih dari: %(options)s (%(status)s)",
            needed,
        )
    elif code == "i3":
        action = ngettext(
            "Bentuk %(count)s poktan, pilih dari: %(options)s (%(status)s)",
            "Bentuk %(count)s poktan, pilih dari: %(options)s (%(status)s)",
            needed,
        )
    elif code == "p1" and current:
        action = ngettext(
            "Gunakan %(count)s sumber data lagi dalam perencanaan, pilih dari: %(options)s "
            "(%(status)s)",
            "Gunakan %(count)s sumber data lagi dalam perencanaan, pilih dari: %(options)s "
            "(%(status)s)",
            needed,
        )
    elif code == "p1":
        action = ngettext(
            "Gunakan %(count)s sumber data dalam perencanaan, pilih dari: %(options)s (%(status)s)",
            "Gunakan %(count)s sumber data dalam perencanaan, pilih dari: %(options)s (%(status)s)",
            needed,
        )
    elif current:
        action = ngettext(
            "Laksanakan %(count)s mekanisme operasional lagi, pilih dari: %(options)s (%(status)s)",
            "Laksanakan %(count)s mekanisme operasional lagi, pilih dari: %(options)s (%(status)s)",
            needed,
        )
    else:
        action = ngettext(
            "Laksanakan %(count)s mekanisme operasional, pilih dari: %(options)s (%(status)s)",
            "Laksanakan %(count)s mekanisme operasional, pilih dari: %(options)s (%(status)s)",
            needed,
        )
    return action % values, (Change(name, frozenset(missing[:needed])),)


def _added_for_share(participants: int, target: int, wanted: int) -> int | None:
    """Fewest participants to add so that participants ÷ target rounds to at least ``wanted``%."""
    return _smallest(
        1, target - participants, lambda x: percent(participants + x, target) >= wanted
    )


def _participation_step(inputs: KampungInputs, score: int, later: bool = False) -> _Step:
    shares = poktan_participation(inputs)
    total = sum(share or 0 for share in shares.values())
    minimum = MINIMUMS["o1"][score - 1]
    goal = _smallest(total, 100 * len(POKTAN), lambda t: average_share(t) >= minimum)
    shortfall = (goal if goal is not None else total + 1) - total
    # Poktan that already exist first; then the smallest target group, where one participant
    # moves the percentage most.
    open_poktan = []
    for code, target_field in POKTAN_TARGETS.items():
        target = getattr(inputs, target_field)
        participants = getattr(inputs, f"participants_{code}") or 0
        if target and participants < target and (shares[code] or 0) < 100:
            open_poktan.append((code not in inputs.poktan_present, target, code, participants))
    if not open_poktan:
        return _(
            "O1 Partisipasi poktan: isi jumlah keluarga, keluarga dengan balita/remaja/lansia "
            "dan remaja serta peserta tiap poktan agar partisipasi poktan bisa dihitung"
        )
    changes: list[Change] = []
    parts: list[str] = []
    for absent, target, code, participants in sorted(open_poktan):
        if shortfall <= 0:
            break
        share = shares[code] or 0
        extra = _added_for_share(participants, target, min(share + shortfall, 100))
        if extra is None:  # pragma: no cover - participants < target always reaches 100%
            continue
        shortfall -= percent(participants + extra, target) - share
        changes.append(Change(f"participants_{code}", extra))
        counts = {"participants": _fmt(participants), "target": _target_group(code, target)}
        if getattr(inputs, f"participants_{code}") is None:
            status = _("belum tercatat; sasaran %(target)s") % counts
        elif later:
            status = _("setelah langkah sebelumnya: %(participants)s dari %(target)s") % counts
        else:
            status = _("sekarang %(participants)s dari %(target)s") % counts
        values = {"count": _fmt(extra), "poktan": POKTAN[code], "status": status}
        if absent:
            part = ngettext(
                "%(count)s peserta %(poktan)s (%(status)s; bentuk dulu poktan %(poktan)s)",
                "%(count)s peserta %(poktan)s (%(status)s; bentuk dulu poktan %(poktan)s)",
                extra,
            )
        else:
            part = ngettext(
                "%(count)s peserta %(poktan)s (%(status)s)",
                "%(count)s peserta %(poktan)s (%(status)s)",
                extra,
            )
        parts.append(part % values)
    if shortfall > 0:
        return _(
            "O1 Partisipasi poktan: tidak bisa naik lagi dengan sasaran yang tercatat; lengkapi "
            "data sasaran semua poktan"
        )
    current = participation_percent(inputs) or 0
    action = _(
        "Naikkan partisipasi poktan dari rata-rata %(current)s%% ke minimal %(minimum)s%%: "
        "tambah %(participants)s"
    ) % {"current": current, "minimum": minimum, "participants": _join(parts, "and")}
    return action, tuple(changes)


def _cpr_step(inputs: KampungInputs, score: int, later: bool = False) -> _Step:
    pus = inputs.pus
    if not pus:
        if pus is None:
            return _("O2 CPR: isi jumlah PUS agar CPR bisa dihitung")
        return _("O2 CPR: jumlah PUS tercatat 0; periksa dan perbarui data PUS")
    users = kb_users(inputs) or 0
    minimum = MINIMUMS["o2"][score - 1]
    extra = _smallest(1, pus - users, lambda d: percent(users + d, pus) >= minimum)
    if extra is None:  # pragma: no cover - 100% always reaches the top band
        return _("O2 CPR: periksa data PUS dan peserta KB")
    changes = (Change("users_implan", extra),)
    values = {"minimum": minimum, "count": _fmt(extra), "pus": _fmt(pus)}
    if kb_users(inputs) is None:
        action = ngettext(
            "Catat peserta KB aktif per metode: untuk CPR minimal %(minimum)s%% perlu "
            "%(count)s peserta KB dari %(pus)s PUS",
            "Catat peserta KB aktif per metode: untuk CPR minimal %(minimum)s%% perlu "
            "%(count)s peserta KB dari %(pus)s PUS",
            extra,
        )
        return action % values, changes
    counts = {"users": _fmt(users), "pus": _fmt(pus)}
    if later:
        status = _("setelah langkah sebelumnya: %(users)s dari %(pus)s PUS ber-KB") % counts
    else:
        status = _("sekarang %(users)s dari %(pus)s PUS ber-KB") % counts
    action = ngettext(
        "Naikkan CPR dari %(current)s%% ke minimal %(minimum)s%%: tambah %(count)s peserta KB "
        "aktif, sebaiknya IUD/implan (%(status)s)",
        "Naikkan CPR dari %(current)s%% ke minimal %(minimum)s%%: tambah %(count)s peserta KB "
        "aktif, sebaiknya IUD/implan (%(status)s)",
        extra,
    )
    return action % {**values, "current": cpr_percent(inputs), "status": status}, changes


def _mkjp_step(inputs: KampungInputs, score: int, later: bool = False) -> _Step:
    recorded = kb_users(inputs)
    if recorded is None:
        return _("O3 MKJP: catat peserta KB aktif per metode agar MKJP bisa dihitung")
    users = recorded
    minimum = MINIMUMS["o3"][score - 1]
    if users == 0:
        action = _(
            "Layani peserta KB dengan MKJP (IUD, implan, MOW atau MOP): sekarang 0 peserta KB"
        )
        return action, (Change("users_implan", 1),)
    mkjp = mkjp_users(inputs)
    switch = _smallest(1, users - mkjp, lambda s: percent(mkjp + s, users) >= minimum)
    if switch is None:  # pragma: no cover - 100% always reaches the top band
        return _("O3 MKJP: periksa data peserta KB per metode")
    short_term = [f"users_{m}" for m in SHORT_TERM_METHODS]
    changes = (Change("users_implan", switch), *_take(inputs, short_term, switch))
    counts = {"mkjp": _fmt(mkjp), "users": _fmt(users)}
    if later:
        status = ngettext(
            "setelah langkah sebelumnya: %(mkjp)s dari %(users)s peserta KB memakai MKJP",
            "setelah langkah sebelumnya: %(mkjp)s dari %(users)s peserta KB memakai MKJP",
            users,
        )
    else:
        status = ngettext(
            "sekarang %(mkjp)s dari %(users)s peserta KB memakai MKJP",
            "sekarang %(mkjp)s dari %(users)s peserta KB memakai MKJP",
            users,
        )
    action = ngettext(
        "Naikkan MKJP dari %(current)s%% ke minimal %(minimum)s%%: ajak %(count)s peserta "
        "pil/suntik/kondom beralih ke IUD, implan, MOW atau MOP (%(status)s)",
        "Naikkan MKJP dari %(current)s%% ke minimal %(minimum)s%%: ajak %(count)s peserta "
        "pil/suntik/kondom beralih ke IUD, implan, MOW atau MOP (%(status)s)",
        switch,
    ) % {
        "current": mkjp_percent(inputs),
        "minimum": minimum,
        "count": _fmt(switch),
        "status": status % counts,
    }
    return action, changes


def _unmet_need_step(inputs: KampungInputs, score: int, later: bool = False) -> _Step:
    pus = inputs.pus
    unmet = unmet_count(inputs)
    if pus is None:
        return _("O4 Unmet need: isi jumlah PUS agar unmet need bisa dihitung")
    if unmet is None:
        return _(
            "O4 Unmet need: catat PUS yang tidak ber-KB menurut alasan (ingin anak ditunda, "
            "tidak ingin anak lagi)"
        )
    maximum = MAXIMUMS["o4"][score - 1]
    served = _smallest(1, unmet, lambda d: percent(unmet - d, pus) <= maximum)
    if served is None:  # pragma: no cover - 0% always reaches the top band
        return _("O4 Unmet need: periksa data PUS")
    reasons = [f"not_using_{r}" for r in UNMET_NEED_REASONS]
    changes = (*_take(inputs, reasons, served), Change("users_implan", served))
    counts = {"unmet": _fmt(unmet), "pus": _fmt(pus)}
    if later:
        status = _("setelah langkah sebelumnya: %(unmet)s dari %(pus)s PUS") % counts
    else:
        status = _("sekarang %(unmet)s dari %(pus)s PUS") % counts
    action = ngettext(
        "Turunkan unmet need dari %(current)s%% ke maksimal %(maximum)s%%: layani %(count)s PUS "
        "yang ingin menunda atau tidak ingin anak lagi agar ber-KB (%(status)s)",
        "Turunkan unmet need dari %(current)s%% ke maksimal %(maximum)s%%: layani %(count)s PUS "
        "yang ingin menunda atau tidak ingin anak lagi agar ber-KB (%(status)s)",
        served,
    ) % {
        "current": unmet_need_percent(inputs),
        "maximum": maximum,
        "count": _fmt(served),
        "status": status,
    }
    return action, changes


def _step(code: str, inputs: KampungInputs, score: int, later: bool = False) -> _Step:
    """The smallest concrete change raising indicator ``code`` from ``score`` by at least one
    band, or a note when the figures it needs are missing. ``later``: the indicator's earlier
    suggestions are applied already, so the figures quoted are those after them."""
    if code == "i1":
        if not inputs.pokja_exists:
            return _("Bentuk Pokja Kampung KB dengan SK Kepala Desa/Lurah"), (
                Change("pokja_exists", True),
            )
        if not inputs.pokja_has_members:
            return _("Tetapkan susunan anggota Pokja (pengurus dan seksi)"), (
                Change("pokja_has_members", True),
            )
        return _("Latih anggota Pokja"), (Change("pokja_members_trained", True),)
    if code == "i4":
        if not inputs.has_sekretariat:
            return _("Sediakan Sekretariat Kampung KB"), (Change("has_sekretariat", True),)
        return _("Bentuk Rumah DataKu"), (Change("has_rumah_dataku", True),)
    if code == "i5":
        if not inputs.has_pendamping:
            return _("Dapatkan pendamping PLKB/PKB"), (Change("has_pendamping", True),)
        return _("Terbitkan regulasi tentang Kampung KB (SK, Instruksi atau SE)"), (
            Change("has_regulation", True),
        )
    if code == "p3":
        current = inputs.cross_sector_agencies or 0
        minimum = MINIMUMS["p3"][score - 1]
        counts = {"current": current, "minimum": minimum}
        if later:
            status = _(
                "setelah langkah sebelumnya: %(current)s, perlu minimal %(minimum)s; kantor "
                "KB/BKKBN tidak dihitung"
            )
        else:
            status = _(
                "sekarang %(current)s, perlu minimal %(minimum)s; kantor KB/BKKBN tidak dihitung"
            )
        if current:
            action = ngettext(
                "Libatkan %(count)s instansi lintas sektor lagi dalam kegiatan (%(status)s)",
                "Libatkan %(count)s instansi lintas sektor lagi dalam kegiatan (%(status)s)",
                minimum - current,
            )
        else:
            action = ngettext(
                "Libatkan %(count)s instansi lintas sektor dalam kegiatan (%(status)s)",
                "Libatkan %(count)s instansi lintas sektor dalam kegiatan (%(status)s)",
                minimum - current,
            )
        action %= {"count": minimum - current, "status": status % counts}
        return action, (Change("cross_sector_agencies", minimum - current),)
    set_steps = {
        "i2": ("funding_sources", FUNDING_SOURCES),
        "i3": ("poktan_present", POKTAN),
        "p1": ("data_sources", DATA_SOURCES),
        "p2": ("mechanisms", MECHANISMS),
    }
    if code in set_steps:
        name, vocabulary = set_steps[code]
        return _set_step(inputs, code, name, score, vocabulary, later)
    output_steps = {
        "o1": _participation_step,
        "o2": _cpr_step,
        "o3": _mkjp_step,
        "o4": _unmet_need_step,
    }
    return output_steps[code](inputs, score, later)


def _group_gap(group: str, inputs: KampungInputs, scores: Scores, index: Decimal) -> GroupGap:
    """Options for ``group``: one band per indicator below its maximum, then further bands
    round by round until they add up to the points the group needs."""
    needed = points_needed(scores.group(group))
    states = {code: inputs for code in GROUP_INDICATORS[group]}
    active = [c for c in GROUP_INDICATORS[group] if getattr(scores, c) < MAX_SCORES[c]]
    suggestions: list[Suggestion] = []
    notes: list[str] = []
    gained = 0
    first_round = True
    while active and (first_round or gained < needed):
        still_active = []
        for code in active:
            state = states[code]
            current = SCORERS[code](state)
            if current >= MAX_SCORES[code]:
                continue
            # After the first round, the figures quoted are those after this indicator's
            # earlier suggestions.
            step = _step(code, state, current, later=not first_round)
            if isinstance(step, str):
                if first_round:
                    notes.append(step)
                continue
            action, changes = step
            after = apply_changes(state, changes)
            target = SCORERS[code](after)
            text = _("%(code)s %(indicator)s (skor %(current)s → %(target)s): %(action)s") % {
                "code": code.upper(),
                "indicator": INDICATOR_LABELS[code],
                "current": current,
                "target": target,
                "action": action,
            }
            suggestions.append(Suggestion(group, code, current, target, text, changes))
            gained += target - current
            states[code] = after
            still_active.append(code)
        active = still_active
        first_round = False
    return GroupGap(group, index, needed, tuple(suggestions), tuple(notes))


def build_plan(inputs: KampungInputs, scores: Scores, indices: GroupIndices) -> NextLevelPlan:
    met = {group: indices.met(group) for group in GROUPS}
    current = level_for_met(
        input_met=met["input"], proses_met=met["proses"], output_met=met["output"]
    )
    if current is Level.PARIPURNA:
        return NextLevelPlan(current, None, ())
    unmet = [group for group in GROUPS if not met[group]]
    gaps = {group: _group_gap(group, inputs, scores, indices.index(group)) for group in unmet}
    best: tuple[tuple[int, int, int, tuple[int, ...]], Level, list[str]] | None = None
    for mask in range(1, 2 ** len(unmet)):
        chosen = [group for i, group in enumerate(unmet) if mask >> i & 1]
        now_met = {group: met[group] or group in chosen for group in GROUPS}
        level = level_for_met(
            input_met=now_met["input"], proses_met=now_met["proses"], output_met=now_met["output"]
        )
        if level.rank <= current.rank:
            continue
        key = (
            sum(not gaps[group].sufficient for group in chosen),
            sum(gaps[group].points_needed for group in chosen),
            level.rank,
            tuple(GROUPS.index(group) for group in chosen),
        )
        if best is None or key < best[0]:
            best = (key, level, chosen)
    assert best is not None  # meeting every unmet group always reaches paripurna
    _, target, chosen = best
    return NextLevelPlan(current, target, tuple(gaps[group] for group in chosen))


def next_level_plan(inputs: KampungInputs) -> NextLevelPlan:
    """Which groups must become met for a higher estimated level, and how (domain.md §2).

    From mandiri only the missing group raises the level. From berkembang only Output does, and
    it leads straight to paripurna: §2 gives mandiri to Output plus *one* other group, which a
    berkembang kampung (Input and Proses met) cannot reach by improving. From dasar several
    ways exist (e.g. Input + Proses → berkembang, or Output + one other → mandiri); the plan
    takes the one needing the fewest score points, preferring ways whose suggestions are
    complete, then the lower level, then Input before Proses before Output.
    """
    scores = score_indicators(inputs)
    return build_plan(inputs, scores, group_indices(scores))


def missing_for_next_level(inputs: KampungInputs) -> list[str]:
    """What is missing for the next level, in the active language; empty at paripurna.

    E.g. ``["Menuju Berkembang: indeks Proses harus mencapai minimal 3,00",
    "Proses 2,33 → perlu 2 poin lagi agar indeks mencapai 3,00",
    "P1 Sumber data perencanaan (skor 2 → 3): Gunakan 1 sumber data lagi …", …]``.
    """
    return next_level_plan(inputs).texts()
